// The dashboard page: pages by the address's #hash, shared helpers, and the Scenario page
// (edit a scenario, check it, run it, see its courses by arm with bands).
"use strict";

const $ = (id) => document.getElementById(id);

// Shared by the pages' scripts (evidence.js, trial.js, community.js).
const oxysim = {
  // GET (no body) or POST JSON; the answer's status and JSON body.
  async call(path, body) {
    const response = await fetch(path, body === undefined ? {} : {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: response.status, data: await response.json() };
  },
  // List the issues of an error body ({detail: [{field, line, message}]}) in the <ul> `list`.
  showIssues(list, detail) {
    list.replaceChildren();
    for (const issue of detail || []) {
      const item = document.createElement("li");
      const where = issue.line ? `line ${issue.line}: ` : "";
      item.textContent = `${where}${issue.field ? issue.field + ": " : ""}${issue.message}`;
      item.dataset.field = issue.field || "";
      list.append(item);
    }
  },
  // Poll a job's status at `path` until it is done (then `done(answer)`) or failed, showing
  // its progress in the <progress> `bar` and any error in `list`.
  async follow(path, bar, list, done) {
    const { status, data } = await oxysim.call(path());
    if (status !== 200) { oxysim.showIssues(list, data.detail); bar.hidden = true; return; }
    bar.hidden = data.status === "done";
    bar.value = data.progress;
    if (data.status === "failed") {
      bar.hidden = true;
      oxysim.showIssues(list, [{ field: "", message: data.error }]);
      return;
    }
    if (data.status !== "done") { setTimeout(() => oxysim.follow(path, bar, list, done), 200); return; }
    done(data);
  },
  // The evidence floor chosen in the header (null: none).
  floor() { return $("floor").value || null; },
  // Functions the pages register to hear that the evidence floor changed.
  onFloor: [],
  // A table of `rows` (objects) under `columns`, numbers to 4 significant digits.
  fillTable(table, columns, rows) {
    const line = (cells, tag) => {
      const row = document.createElement("tr");
      for (const cell of cells) {
        const box = document.createElement(tag);
        box.textContent = typeof cell === "number" && !Number.isInteger(cell)
          ? cell.toPrecision(4) : cell === null || cell === undefined ? "" : String(cell);
        row.append(box);
      }
      return row;
    };
    table.replaceChildren(line(columns, "th"), ...rows.map((r) => line(columns.map((c) => r[c]), "td")));
  },
  // Fill a <select> with `names` (keeping the chosen one where it still exists).
  fillSelect(select, names) {
    const chosen = select.value;
    select.replaceChildren(...names.map((name) => new Option(name, name)));
    if (names.includes(chosen)) select.value = chosen;
  },
  // Set a field of the file in `textarea` (a dotted path) or append to a list, the rest as
  // written; issues go to `list`. Edits take turns, each on the text the one before left.
  editing: Promise.resolve(),
  edit(textarea, list, change) {
    oxysim.editing = oxysim.editing.then(async () => {
      const { status, data } = await oxysim.call("/api/edit", { text: textarea.value, ...change });
      oxysim.showIssues(list, status === 200 ? [] : data.detail);
      if (status === 200) textarea.value = data.text;
      return status === 200;
    });
    return oxysim.editing;
  },
  // Plotly.js (3.5 MB) is loaded once the page is ready, so that the page does not wait for
  // it; plots are drawn when it has come.
  plotly: null,
  plot(target, traces, layout) {
    if (!oxysim.plotly) {
      oxysim.plotly = new Promise((resolve) => {
        const script = document.createElement("script");
        script.src = "/static/plotly.min.js";
        script.onload = resolve;
        document.head.append(script);
      });
    }
    return oxysim.plotly.then(() => Plotly.react(target, traces, layout));
  },
  colours: ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"],
};

function showPage() {
  const chosen = (location.hash || "#scenario").slice(1);
  for (const page of document.querySelectorAll(".page")) {
    page.hidden = page.id !== `page-${chosen}`;
  }
  for (const link of document.querySelectorAll("nav a")) {
    link.classList.toggle("chosen", link.dataset.page === chosen);
  }
  window.dispatchEvent(new CustomEvent("oxysim-page", { detail: chosen }));
}

// --- the Scenario and Results page ---

let current = null; // the finished run's id

function request() {
  return { text: $("text").value, evidence_floor: oxysim.floor() };
}

async function check() {
  const { status, data } = await oxysim.call("/api/validate", request());
  oxysim.showIssues($("issues"), status === 200 ? [] : data.detail);
  $("status").textContent = status === 200 ? `ok: ${data.arms.length} arm(s)` : "";
  if (status === 200) {
    drawTimeline(data.timeline, data.duration);
    oxysim.fillSelect($("event-arm"), ["", ...data.arms]);
    if (data.population) showShares(data.population);
    $("event-arm").options[0].textContent = "every arm";
  }
  return status === 200;
}

async function run() {
  if (!(await check())) return;
  const { status, data } = await oxysim.call("/api/runs", request());
  if (status !== 202) { oxysim.showIssues($("issues"), data.detail); return; }
  $("progress").hidden = false;
  $("status").textContent = "running";
  follow(data.id);
}

function follow(id) {
  const path = () => `/api/runs/${id}` + ($("by").value ? `?by=${$("by").value}` : "");
  oxysim.follow(path, $("progress"), $("issues"), (data) => {
    $("status").textContent = "done";
    current = id;
    show(data);
  });
}

const DOWNLOADS = ["results.nc", "results.csv", "results.png", "scenario.yaml", "model.sbml"];

function show(data) {
  $("results").hidden = false;
  oxysim.fillSelect($("variable"), Object.keys(data.courses));
  draw(data);
  $("downloads").replaceChildren(...DOWNLOADS.map((kind) => {
    const link = document.createElement("a");
    link.href = `/api/runs/${current}/download/${kind}`;
    link.textContent = kind;
    link.download = kind;
    return link;
  }));
  $("variable").onchange = () => draw(data);
}

function draw(data) {
  const course = data.courses[$("variable").value];
  const traces = [];
  course.lines.forEach((line, index) => {
    const colour = oxysim.colours[index % oxysim.colours.length];
    const label = line.group === "all" ? line.arm : `${line.arm}, ${line.group}`;
    traces.push({ x: data.time, y: line.q75, mode: "lines", line: { width: 0 },
                  showlegend: false, hoverinfo: "skip" });
    traces.push({ x: data.time, y: line.q25, mode: "lines", line: { width: 0 }, fill: "tonexty",
                  fillcolor: colour + "33", showlegend: false, hoverinfo: "skip" });
    traces.push({ x: data.time, y: line.mean, mode: "lines", name: `${label} (n=${line.n})`,
                  line: { color: colour } });
  });
  const columns = Object.keys(data.summary_columns);
  oxysim.fillTable($("summary"), ["arm", "group", "n", ...columns], course.summary);
  $("summary-meaning").textContent = columns.map((c) => `${c}: ${data.summary_columns[c]}`).join("; ");
  oxysim.plot("plot", traces, {
    margin: { t: 30 },
    legend: { traceorder: "normal" },
    xaxis: { title: { text: "time since start [min]" } },
    yaxis: { title: { text: `${$("variable").value} [${course.units}]` } },
    title: { text: "mean and interquartile band over subjects", font: { size: 13 } },
  });
}

// The events of each arm as bars on one time axis (from the checked scenario).
function drawTimeline(timeline, duration) {
  const arms = Object.keys(timeline);
  const traces = [];
  const kinds = [...new Set(arms.flatMap((arm) => timeline[arm].map((e) => e.kind)))];
  kinds.forEach((kind, index) => {
    const events = arms.flatMap((arm) => timeline[arm].filter((e) => e.kind === kind)
      .map((e) => ({ arm, ...e })));
    traces.push({
      type: "bar", orientation: "h", name: kind, y: events.map((e) => e.arm),
      base: events.map((e) => e.at), x: events.map((e) => Math.max(e.end - e.at, duration / 200)),
      text: events.map((e) => e.label), hoverinfo: "text",
      marker: { color: oxysim.colours[index % oxysim.colours.length] },
    });
  });
  oxysim.plot("timeline", traces, {
    barmode: "overlay", height: 60 + 40 * arms.length, margin: { t: 10, b: 35, l: 90 },
    xaxis: { title: { text: "min" }, range: [0, duration] },
    yaxis: { autorange: "reversed" }, legend: { orientation: "h" },
  });
}

function edit(change) {
  return oxysim.edit($("text"), $("issues"), change).then((ok) => ok && check());
}

// The sliders as the checked file has the population.
function showShares(population) {
  const values = { size: population.size, female: Math.round(100 * population.female),
                   gg: Math.round(100 * population.gg) };
  for (const [id, value] of Object.entries(values)) {
    $(id).value = value;
    $(`${id}-shown`).textContent = id === "size" ? value : `${value} %`;
  }
}

function slider(id, shown, change) {
  $(id).oninput = () => { $(`${id}-shown`).textContent = shown($(id).value); };
  $(id).onchange = () => edit(change(Number($(id).value)));
}

async function start() {
  const { data: examples } = await oxysim.call("/api/examples");
  oxysim.fillSelect($("example"), Object.keys(examples));
  $("example").value = "tsst_support_genotype";
  $("example").onchange = () => { $("text").value = examples[$("example").value]; check(); };
  $("text").value = examples[$("example").value];
  for (const grade of ["established", "human-single", "animal", "contested", "assumption"]) {
    $("floor").append(new Option(`${grade} and stronger only`, grade));
  }
  $("floor").onchange = () => {
    if (current) run(); // the scenario again, with the mechanisms below the floor switched off
    for (const listener of oxysim.onFloor) listener(oxysim.floor());
  };
  slider("size", (v) => v, (v) => ({ path: "population.size", value: v }));
  slider("female", (v) => `${v} %`, (v) => ({
    path: "population.sex", value: { male: (100 - v) / 100, female: v / 100 },
  }));
  slider("gg", (v) => `${v} %`, (v) => {
    // the rest split between AG and AA as Hardy-Weinberg proportions of the A allele
    const q = Math.sqrt(v / 100); // G allele frequency
    const ag = 2 * q * (1 - q);
    const round = (x) => Math.round(x * 1000) / 1000;
    return { path: "population.rs53576",
             value: { GG: round(v / 100), AG: round(ag), AA: round(1 - v / 100 - ag) } };
  });
  const { data: kinds } = await oxysim.call("/api/event-kinds");
  oxysim.fillSelect($("event-kind"), Object.keys(kinds));
  $("event-kind").onchange = () => {
    const kind = kinds[$("event-kind").value];
    $("event-fields").title = `${kind.description} Keys: ${kind.keys.join(", ")}`;
  };
  $("event-kind").onchange();
  $("event-add").onclick = () => {
    const kind = $("event-kind").value;
    const arm = $("event-arm").value;
    edit({ path: arm ? `arms.${arm}.events` : "events", append: true,
           value_yaml: `{at: ${Number($("event-at").value)} min, ${kind}: ${$("event-fields").value}}` });
  };
  $("arm-add").onclick = () => edit({ path: `arms.${$("arm-name").value.trim()}`, value: {} });
  $("validate").onclick = check;
  $("run").onclick = run;
  $("by").onchange = () => { if (current) follow(current); };
  window.addEventListener("hashchange", showPage);
  showPage();
  check();
}

start();
