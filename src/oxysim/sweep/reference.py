"""The sweep-file reference in Markdown, generated from the models that validate sweep files.

``docs/scale.md`` embeds :func:`sweep_markdown`'s output, and a test keeps it current.
"""

from __future__ import annotations

from pydantic import BaseModel

from oxysim.scenario.reference import model_section
from oxysim.sweep.spec import Factor, Sample, SweepSpec

#: Models with a section of their own, by heading.
SECTIONS: dict[str, type[BaseModel]] = {"Sweep": SweepSpec, "Factor": Factor, "Sample": Sample}
SECTION = "oxysim.sweep.reference.sweep_markdown()"


def sweep_markdown() -> str:
    """Return the reference of every key of a sweep file, as Markdown."""
    return "\n".join(
        model_section(f"### {heading}", model, sections=SECTIONS)
        for heading, model in SECTIONS.items()
    )


def refresh_docs(path: str = "docs/scale.md") -> None:
    """Rewrite the generated sweep reference in ``path`` (``make docs``)."""
    from oxysim.generated_docs import replace_section

    replace_section(path, SECTION, sweep_markdown())
