"""The model's equations as documentation, printed from the symbolic trace (LaTeX in Markdown).

The same trace that the compiled engine and the SBML export are generated from, so the printed
equations are the equations that run.
"""

from __future__ import annotations

from typing import Any

from oxysim.engine.compose import Model
from oxysim.engine.symbolic import trace

SECTION = "oxysim.engine.equations.equations_markdown()"


def _latex(expr: Any) -> str:
    import sympy

    names = {symbol: _name(symbol.name) for symbol in expr.free_symbols}
    return str(
        sympy.latex(expr, mul_symbol="dot", ln_notation=True, full_prec=False, symbol_names=names)
    )


def _name(name: str) -> str:
    return r"\mathrm{" + name.replace("_", r"\_") + "}"


def equations_markdown(model: Model | None = None) -> str:
    """Every static, output and rate of ``model`` (the human model), by sub-model."""
    from oxysim.system import human_model

    model = model or human_model()
    equations = trace(model)
    lines: list[str] = []
    for submodel in model.submodels:
        own = [a for a in equations.statics + equations.outputs if a.submodel == submodel.name]
        rates = [a for a in equations.rates if a.submodel == submodel.name]
        lines += [f"### `{submodel.name}`", "", submodel.description, ""]
        lines += [f"$$ {_name(a.name)} = {_latex(a.expression)} $$" for a in own]
        lines += [
            rf"$$ \frac{{d\,{_name(a.name)}}}{{dt}} = {_latex(a.expression)} $$" for a in rates
        ]
        lines.append("")
    return "\n".join(lines)


def refresh_docs(path: str = "docs/model.md") -> None:
    """Rewrite the generated equations in ``path`` (``make docs``)."""
    from oxysim.generated_docs import replace_section

    replace_section(path, SECTION, equations_markdown())
