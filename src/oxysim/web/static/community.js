// The Community page: pick or edit a community file, run it, see what emerges between people
// (network-level series by arm) and the network coloured by a state on the last day.
"use strict";

const community = {
  loaded: false,
  current: null, // the finished community's id
  answer: null, // and its status answer
};

const COMMUNITY_DOWNLOADS = ["results.nc", "network.graphml", "community.yaml", "emergent.png"];

async function loadCommunity() {
  if (community.loaded) return;
  community.loaded = true;
  const { data: examples } = await oxysim.call("/api/examples?kind=community");
  oxysim.fillSelect($("community-example"), Object.keys(examples));
  $("community-example").value = "couples_and_meetings"; // the fastest: 200 people, 14 days
  $("community-example").onchange = () => {
    $("community-text").value = examples[$("community-example").value];
    $("community-size").value = "";
    $("community-days").value = "";
  };
  $("community-example").onchange();
  $("community-size").onchange = () => editCommunity("people.size", $("community-size"));
  $("community-days").onchange = () => editCommunity("days", $("community-days"));
  $("community-run").onclick = runCommunity;
  $("community-series").onchange = () => drawSeries(community.answer);
  $("community-color-by").onchange = showNetwork;
}

// Set one field of the file from a number input, keeping the rest as written.
function editCommunity(path, input) {
  return oxysim.edit($("community-text"), $("community-issues"), { path, value: Number(input.value) });
}

async function runCommunity() {
  const { status, data } = await oxysim.call("/api/communities", {
    text: $("community-text").value, evidence_floor: oxysim.floor(),
  });
  oxysim.showIssues($("community-issues"), status === 202 ? [] : data.detail);
  if (status !== 202) return;
  $("community-progress").hidden = false;
  $("community-status").textContent = "running";
  oxysim.follow(() => `/api/communities/${data.id}`, $("community-progress"),
                $("community-issues"), (answer) => {
    $("community-status").textContent = "done";
    community.current = data.id;
    community.answer = answer;
    showCommunity(answer);
  });
}

function showCommunity(answer) {
  $("community-results").hidden = false;
  oxysim.fillSelect($("community-series"), Object.keys(answer.series));
  oxysim.fillSelect($("community-color-by"), answer.color_by);
  $("community-downloads").replaceChildren(...COMMUNITY_DOWNLOADS.map((kind) => {
    const link = document.createElement("a");
    link.href = `/api/communities/${community.current}/download/${kind}`;
    link.textContent = kind;
    link.download = kind;
    return link;
  }));
  drawSeries(answer);
  showNetwork();
}

// The chosen network-level series, one line per arm, day by day.
function drawSeries(answer) {
  const name = $("community-series").value;
  const series = answer.series[name];
  const traces = answer.arms.map((arm, index) => ({
    x: answer.days, y: series.by_arm[arm], mode: "lines+markers", name: arm,
    line: { color: oxysim.colours[index % oxysim.colours.length] },
  }));
  $("community-meaning").textContent = `${name}: ${series.long_name}`;
  oxysim.plot("community-plot", traces, {
    margin: { t: 30 },
    xaxis: { title: { text: "day" }, dtick: 1 },
    yaxis: { title: { text: `${name} [${series.units}]` } },
    title: { text: "over the whole community, by arm", font: { size: 13 } },
  });
}

function showNetwork() {
  const colour = encodeURIComponent($("community-color-by").value);
  $("community-network").src =
    `/api/communities/${community.current}/network.png?color_by=${colour}`;
}

// The community again, with the mechanisms below the new floor switched off.
oxysim.onFloor.push(() => { if (community.current) runCommunity(); });
window.addEventListener("oxysim-page", (event) => {
  if (event.detail === "community") loadCommunity();
});
if (location.hash === "#community") loadCommunity();
