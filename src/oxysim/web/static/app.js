// The dashboard page: edit a scenario, check it, run it, see its courses by arm with bands.
"use strict";

const $ = (id) => document.getElementById(id);
let current = null; // the finished run's id

async function call(path, body) {
  const response = await fetch(path, body === undefined ? {} : {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, data: await response.json() };
}

function request() {
  return { text: $("text").value, evidence_floor: $("floor").value || null };
}

function showIssues(detail) {
  const list = $("issues");
  list.replaceChildren();
  for (const issue of detail || []) {
    const item = document.createElement("li");
    const where = issue.line ? `line ${issue.line}: ` : "";
    item.textContent = `${where}${issue.field ? issue.field + ": " : ""}${issue.message}`;
    item.dataset.field = issue.field || "";
    list.append(item);
  }
}

async function check() {
  const { status, data } = await call("/api/validate", request());
  showIssues(status === 200 ? [] : data.detail);
  $("status").textContent = status === 200 ? `ok: ${data.arms.length} arm(s)` : "";
  return status === 200;
}

async function run() {
  if (!(await check())) return;
  const { status, data } = await call("/api/runs", request());
  if (status !== 202) { showIssues(data.detail); return; }
  $("progress").hidden = false;
  poll(data.id);
}

async function poll(id) {
  const by = $("by").value;
  const { status, data } = await call(`/api/runs/${id}` + (by ? `?by=${by}` : ""));
  if (status !== 200) { showIssues(data.detail); return; }
  $("progress").value = data.progress;
  $("status").textContent = data.status;
  if (data.status === "failed") { showIssues([{ field: "", message: data.error }]); return; }
  if (data.status !== "done") { setTimeout(() => poll(id), 200); return; }
  $("progress").hidden = true;
  current = id;
  show(data);
}

function show(data) {
  $("results").hidden = false;
  const chosen = $("variable").value;
  const names = Object.keys(data.courses);
  $("variable").replaceChildren(...names.map((name) => new Option(name, name)));
  $("variable").value = names.includes(chosen) ? chosen : names[0];
  draw(data);
  $("downloads").replaceChildren(...["results.nc", "results.csv", "scenario.yaml"].map((kind) => {
    const link = document.createElement("a");
    link.href = `/api/runs/${current}/download/${kind}`;
    link.textContent = kind;
    link.download = kind;
    link.style.marginRight = "1rem";
    return link;
  }));
  $("variable").onchange = () => draw(data);
}

function draw(data) {
  const course = data.courses[$("variable").value];
  const colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"];
  const traces = [];
  course.lines.forEach((line, index) => {
    const colour = colours[index % colours.length];
    const label = line.group === "all" ? line.arm : `${line.arm}, ${line.group}`;
    traces.push({ x: data.time, y: line.q75, mode: "lines", line: { width: 0 },
                  showlegend: false, hoverinfo: "skip" });
    traces.push({ x: data.time, y: line.q25, mode: "lines", line: { width: 0 }, fill: "tonexty",
                  fillcolor: colour + "33", showlegend: false, hoverinfo: "skip" });
    traces.push({ x: data.time, y: line.mean, mode: "lines", name: `${label} (n=${line.n})`,
                  line: { color: colour } });
  });
  summarise(course, data.summary_columns);
  Plotly.react("plot", traces, {
    margin: { t: 30 },
    legend: { traceorder: "normal" },
    xaxis: { title: { text: "time since start [min]" } },
    yaxis: { title: { text: `${$("variable").value} [${course.units}]` } },
    title: { text: "mean and interquartile band over subjects", font: { size: 13 } },
  });
}

function summarise(course, columns) {
  const names = Object.keys(columns);
  const header = ["arm", "group", "n", ...names];
  const row = (cells, tag) => {
    const line = document.createElement("tr");
    for (const cell of cells) {
      const box = document.createElement(tag);
      box.textContent = typeof cell === "number" && !Number.isInteger(cell)
        ? cell.toPrecision(4) : String(cell);
      line.append(box);
    }
    return line;
  };
  $("summary").replaceChildren(
    row(header, "th"),
    ...course.summary.map((entry) => row(header.map((name) => entry[name]), "td")),
  );
  $("summary-meaning").textContent = names.map((name) => `${name}: ${columns[name]}`).join("; ");
}

async function start() {
  const { data: examples } = await call("/api/examples");
  $("example").replaceChildren(...Object.keys(examples).map((name) => new Option(name, name)));
  $("example").onchange = () => { $("text").value = examples[$("example").value]; };
  $("text").value = examples[$("example").value];
  for (const grade of ["established", "human-single", "animal", "contested", "assumption"]) {
    $("floor").append(new Option(`${grade} and stronger only`, grade));
  }
  $("size").oninput = () => {
    $("size-shown").textContent = $("size").value;
    // the first `size:` after `population:`, in block or flow style
    $("text").value = $("text").value.replace(/(population:[\s\S]*?\bsize:\s*)\d+/,
                                              `$1${$("size").value}`);
  };
  $("validate").onclick = check;
  $("run").onclick = run;
  $("by").onchange = () => { if (current) poll(current); };
}

start();
