// The Evidence page: the validation table, the parameter ledger and the claims check.
"use strict";

const evidence = {
  ledger: [],
  loaded: false,
};

const VALIDATION_COLUMNS = ["experiment", "set", "metric", "low", "high", "unit", "simulated",
                            "status"];
const FLOOR_COLUMNS = ["simulated_at_floor", "pass_at_floor"];

async function loadEvidence() {
  if (evidence.loaded) return;
  evidence.loaded = true;
  const [{ data: ledger }, { data: experiments }] = await Promise.all([
    oxysim.call("/api/evidence/parameters"), oxysim.call("/api/evidence/experiments"),
  ]);
  evidence.ledger = ledger.parameters;
  for (const grade of ledger.grades) $("ledger-grade").append(new Option(grade, grade));
  const submodels = [...new Set(ledger.parameters.map((p) => p.submodel))];
  for (const name of submodels) $("ledger-submodel").append(new Option(name, name));
  $("experiment").replaceChildren(...experiments.map((e) =>
    new Option(`${e.id} (${e.set}, ${e.metrics} metric${e.metrics > 1 ? "s" : ""})`, e.id)));
  oxysim.fillTable($("validation-table"), ["id", "title", "set", "domain", "metrics"], experiments);
  for (const control of ["ledger-grade", "ledger-submodel", "ledger-search"]) {
    $(control).oninput = showLedger;
  }
  showLedger();
  showClaims();
}

function showLedger() {
  const grade = $("ledger-grade").value;
  const submodel = $("ledger-submodel").value;
  const words = $("ledger-search").value.toLowerCase();
  const chosen = evidence.ledger.filter((p) => (!grade || p.grade === grade)
    && (!submodel || p.submodel === submodel)
    && (!words || `${p.name} ${p.origin} ${p.description}`.toLowerCase().includes(words)));
  $("ledger-count").textContent = `${chosen.length} of ${evidence.ledger.length} parameters`;
  oxysim.fillTable($("ledger-table"), ["submodel", "name", "value", "unit", "grade", "origin"],
                   chosen);
}

async function validate(experiments) {
  const floor = oxysim.floor();
  const { status, data } = await oxysim.call("/api/evidence/validation",
                                            { experiments, evidence_floor: floor });
  if (status !== 202) { oxysim.showIssues($("validation-issues"), data.detail); return; }
  oxysim.showIssues($("validation-issues"), []);
  $("validation-progress").hidden = false;
  oxysim.follow(() => `/api/evidence/validation/${data.id}`, $("validation-progress"),
                $("validation-issues"), (answer) => {
    const columns = floor ? [...VALIDATION_COLUMNS, ...FLOOR_COLUMNS] : VALIDATION_COLUMNS;
    oxysim.fillTable($("validation-table"), columns, answer.rows);
    $("pass-rates").textContent = passRates(answer.rows);
    showClaims();
  });
}

// The pass rate of each set, the check set first (as `oxysim validate` prints them).
function passRates(rows) {
  return ["check", "calibration"].map((set) => {
    const chosen = rows.filter((r) => r.set === set);
    const passed = chosen.filter((r) => r.pass).length;
    return chosen.length ? `${set} set: ${passed} of ${chosen.length} metrics within tolerance`
      + ` (${Math.round(100 * passed / chosen.length)} %)` : "";
  }).filter(Boolean).join("; ");
}

async function showClaims() {
  const floor = oxysim.floor() || "human-single";
  $("claims-floor").textContent = floor;
  const { data } = await oxysim.call(`/api/evidence/claims?evidence_floor=${floor}`);
  const rows = data.claims.map((c) => ({ ...c, submodels: c.submodels.join(", "),
                                         experiments: c.experiments.join(", ") }));
  oxysim.fillTable($("claims-table"), ["id", "claim", "submodels", "weakest", "strongest",
                                       "experiments", "verdict"], rows);
}

$("validate-one").onclick = () => validate([$("experiment").value]);
$("validate-all").onclick = () => validate(null);
oxysim.onFloor.push(() => { if (evidence.loaded) showClaims(); });
window.addEventListener("oxysim-page", (event) => {
  if (event.detail === "evidence") loadEvidence();
});
if (location.hash === "#evidence") loadEvidence();
