// The Trial page: pick or edit a trial file, run its replicate trials, see the power curve
// (simulated, and analytic where there is one) and the winner's curse (the estimated d of the
// trials at one n, significant or not), the power table and the downloads.
"use strict";

const trialPage = {
  loaded: false,
  current: null, // the finished trial's id
  answer: null, // and its status answer
};

const TRIAL_DOWNLOADS = ["trial.nc", "trial.png", "trial.yaml"];

async function loadTrial() {
  if (trialPage.loaded) return;
  trialPage.loaded = true;
  const { data: examples } = await oxysim.call("/api/examples?kind=trial");
  oxysim.fillSelect($("trial-example"), Object.keys(examples));
  $("trial-example").value = "walum_trust";
  $("trial-example").onchange = () => { $("trial-text").value = examples[$("trial-example").value]; };
  $("trial-example").onchange();
  $("trial-run").onclick = runTrial;
  $("trial-n").onchange = () => drawEffects(trialPage.answer);
}

async function runTrial() {
  const { status, data } = await oxysim.call("/api/trials", {
    text: $("trial-text").value,
    sizes: $("trial-sizes").value.trim() || null,
    evidence_floor: oxysim.floor(),
  });
  oxysim.showIssues($("trial-issues"), status === 202 ? [] : data.detail);
  if (status !== 202) return;
  $("trial-progress").hidden = false;
  $("trial-status").textContent = "running";
  oxysim.follow(() => `/api/trials/${data.id}`, $("trial-progress"), $("trial-issues"),
                (answer) => {
    $("trial-status").textContent = "done";
    trialPage.current = data.id;
    trialPage.answer = answer;
    showTrial(answer);
  });
}

function showTrial(answer) {
  $("trial-results").hidden = false;
  $("trial-title").textContent = `${answer.title}: ${answer.outcome} (${answer.design}, `
    + `${answer.analysis}); population d = ${answer.population_d.toFixed(3)}, `
    + `alpha = ${answer.alpha}`;
  const sizes = answer.n.map(String);
  const chosen = $("trial-n").value;
  oxysim.fillSelect($("trial-n"), sizes);
  if (!sizes.includes(chosen)) $("trial-n").value = String(answer.figure_n);
  $("trial-downloads").replaceChildren(...TRIAL_DOWNLOADS.map((kind) => {
    const link = document.createElement("a");
    link.href = `/api/trials/${trialPage.current}/download/${kind}`;
    link.textContent = kind;
    link.download = kind;
    return link;
  }));
  const columns = Object.keys(answer.columns);
  const rows = answer.rows.map((row) => Object.fromEntries(
    columns.map((column) => [column, row[column] === null ? "-" : row[column]])));
  oxysim.fillTable($("trial-table"), columns, rows);
  $("trial-meaning").textContent = columns.map((c) => `${c}: ${answer.columns[c]}`).join("; ");
  $("trial-notes").replaceChildren(...answer.notes.map((note) => {
    const item = document.createElement("li");
    item.textContent = `note: ${note}`;
    return item;
  }));
  drawPower(answer);
  drawEffects(answer);
}

// A horizontal line across the plot at `y`, labelled at its right end.
function level(y, text, colour) {
  return {
    shape: { type: "line", xref: "paper", x0: 0, x1: 1, y0: y, y1: y,
             line: { color: colour, width: 1, dash: "dot" } },
    label: { xref: "paper", x: 1, y, text, showarrow: false, xanchor: "right",
             yanchor: "bottom", font: { size: 10, color: colour } },
  };
}

function drawPower(answer) {
  const traces = [{ x: answer.n, y: answer.power, mode: "lines+markers", name: "simulated",
                    line: { color: oxysim.colours[0] } }];
  if (answer.analytic_power) {
    traces.push({ x: answer.n, y: answer.analytic_power, mode: "lines", name: "t-test, analytic",
                  line: { color: "grey", dash: "dash" } });
  }
  const levels = [level(0.8, "80 %", oxysim.colours[3]), level(answer.alpha, "alpha", "black")];
  oxysim.plot("trial-power", traces, {
    margin: { t: 30 },
    title: { text: "power over the sample size", font: { size: 13 } },
    xaxis: { title: { text: "subjects per trial (n)" } },
    yaxis: { title: { text: "power" }, range: [0, 1] },
    shapes: levels.map((l) => l.shape),
    annotations: levels.map((l) => l.label),
    legend: { x: 0.02, y: 0.98 },
  });
}

// The estimated d of every trial at the chosen n, stacked significant on not significant, with
// the population d and the mean d of the significant trials (the table's number).
function drawEffects(answer) {
  const n = $("trial-n").value;
  const at = answer.effects[n];
  const centres = at.edges.slice(1).map((edge, i) => (edge + at.edges[i]) / 2);
  const width = at.edges[1] - at.edges[0];
  const bars = (y, name, colour) => ({ type: "bar", x: centres, y, width, name,
                                       marker: { color: colour } });
  const highest = Math.max(1, ...at.significant.map((count, i) => count + at.not_significant[i]));
  const upright = (x, name, colour, dash) => ({ x: [x, x], y: [0, highest], mode: "lines", name,
                                                line: { color: colour, dash, width: 2 } });
  const traces = [
    bars(at.not_significant, "not significant", "lightgrey"),
    bars(at.significant, "significant", oxysim.colours[1]),
    upright(answer.population_d, `population d = ${answer.population_d.toFixed(3)}`, "black",
            "solid"),
  ];
  if (at.mean_d_significant !== null) {
    traces.push(upright(at.mean_d_significant,
                        `mean d | significant = ${at.mean_d_significant.toFixed(3)}`,
                        oxysim.colours[3], "dash"));
  }
  const trials = at.not_finite + [...at.significant, ...at.not_significant].reduce((a, b) => a + b, 0);
  oxysim.plot("trial-effects", traces, {
    barmode: "stack",
    bargap: 0,
    margin: { t: 30 },
    title: { text: "the winner's curse: estimated d by significance", font: { size: 13 } },
    xaxis: { title: { text: `estimated d in ${trials} trials of n = ${n}` } },
    yaxis: { title: { text: "trials" } },
    legend: { x: 0.02, y: 0.98, traceorder: "normal" },
  });
}

// The trial again, with the mechanisms below the new floor switched off.
oxysim.onFloor.push(() => { if (trialPage.current) runTrial(); });
window.addEventListener("oxysim-page", (event) => {
  if (event.detail === "trial") loadTrial();
});
if (location.hash === "#trial") loadTrial();
