/**
 * The phase-portrait panel: the chosen learners' joint update as a vector field over the plane of a one-shot 2x2
 * game (P1(C), P2(C)) or of the tandem game (x, y), and trajectories started by clicking on the plane. Changing a
 * setting redraws the field and re-runs every trajectory from its start.
 */
import { fillSelect, input, onSettledChange, readChoice, readNumber, showMessage } from "./form.js";
import {
  type Arrow,
  defaultPortraitSettings,
  PORTRAIT_GAMES,
  type PortraitSettings,
  portraitPlane,
  type Trajectory,
  trajectory,
  vectorField,
} from "./portraitModel.js";
import { PAGE_LEARNERS } from "./dynamicsPanel.js";
import { arrowPath, el, type Frame, frame } from "./svg.js";
import { restoreFromUrl, saveToUrl } from "./urlState.js";

const GRID = 17;
const SIZE = 460;
const TRAJECTORY_COLORS = ["#b8241c", "#2a8a3e", "#6b3fa0", "#0f7c8c", "#8a5a12"];

/** Where the default trajectory of each kind of game starts. */
function defaultStart(game: string): [number, number] {
  return game === "tandem" ? [0.1, -0.2] : [0.85, 0.3];
}

function readSettings(): PortraitSettings {
  return {
    game: readChoice("pp-game", "game", PORTRAIT_GAMES),
    learners: [
      readChoice("pp-agent1", "agent 1", PAGE_LEARNERS),
      readChoice("pp-agent2", "agent 2", PAGE_LEARNERS),
    ],
    lr: readNumber({ id: "pp-lr", label: "lr", min: 0, max: 10, exclusiveMin: true }),
    eta: readNumber({ id: "pp-eta", label: "η", min: 0, max: 10 }),
    lolaLookAheadTerm: (input("pp-lookahead-term") as HTMLInputElement).checked,
    steps: readNumber({ id: "pp-steps", label: "steps", min: 1, max: 5000, integer: true }),
  };
}

function showSettings(settings: PortraitSettings): void {
  input("pp-lr").value = String(settings.lr);
  input("pp-eta").value = String(settings.eta);
  input("pp-steps").value = String(settings.steps);
}

function drawField(f: Frame, arrows: Arrow[], cell: number): void {
  const lengths = arrows.map((a) => Math.hypot(f.x(a.x + a.dx) - f.x(a.x), f.y(a.y + a.dy) - f.y(a.y)));
  const longest = Math.max(...lengths, 1e-12);
  const group = el("g", { class: "field" }, f.plot);
  arrows.forEach((a, i) => {
    // Length ∝ √(step / longest step): slow regions stay visible; the direction is exact.
    const scale = (0.9 * cell * Math.sqrt(lengths[i] / longest)) / (lengths[i] || 1);
    const dx = (f.x(a.x + a.dx) - f.x(a.x)) * scale;
    const dy = (f.y(a.y + a.dy) - f.y(a.y)) * scale;
    el("path", { d: arrowPath(f.x(a.x) - dx / 2, f.y(a.y) - dy / 2, dx, dy) }, group);
  });
}

function drawTrajectory(f: Frame, path: Trajectory, color: string, index: number): SVGGElement {
  const group = el("g", { class: "trajectory" }, f.plot);
  const points = path.points;
  const [endX, endY] = points[points.length - 1];
  el("polyline", { points: points.map(([x, y]) => `${f.x(x)},${f.y(y)}`).join(" "), stroke: color }, group);
  el("circle", { cx: f.x(points[0][0]), cy: f.y(points[0][1]), r: 4, fill: "white", stroke: color }, group);
  el("circle", { cx: f.x(endX), cy: f.y(endY), r: 4, fill: color }, group);
  group.dataset.index = String(index);
  group.dataset.endX = String(endX);
  group.dataset.endY = String(endY);
  return group;
}

export function setUpPortraitPanel(): void {
  const first = defaultPortraitSettings("imp");
  fillSelect("pp-game", PORTRAIT_GAMES, first.game);
  fillSelect("pp-agent1", PAGE_LEARNERS, first.learners[0]);
  fillSelect("pp-agent2", PAGE_LEARNERS, first.learners[1]);
  // A shared link's plane decides the defaults of the fields it does not set (tandem has its own lr, η, steps).
  const linked = new URLSearchParams(location.search).get("pp-game");
  showSettings(linked === "tandem" ? defaultPortraitSettings("tandem") : first);
  const form = document.getElementById("pp-form") as HTMLFormElement;
  restoreFromUrl([form]);
  let game = first.game;
  try {
    game = readChoice("pp-game", "game", PORTRAIT_GAMES);
  } catch {
    // A bad game in a shared link: redraw() shows the message naming it.
  }
  let starts: [number, number][] = [defaultStart(game)];

  const message = document.getElementById("pp-message")!;
  const plot = document.getElementById("pp-plot")!;
  const list = document.getElementById("pp-trajectories")!;
  let current: { frame: Frame; settings: PortraitSettings } | undefined;

  const addTrajectory = (f: Frame, settings: PortraitSettings, start: [number, number], index: number) => {
    const path = trajectory(settings, start);
    const color = TRAJECTORY_COLORS[index % TRAJECTORY_COLORS.length];
    drawTrajectory(f, path, color, index);
    const [x0, y0] = path.points[0];
    const [x1, y1] = path.points[path.points.length - 1];
    const item = document.createElement("li");
    item.style.color = color;
    item.textContent =
      `from (${x0.toFixed(3)}, ${y0.toFixed(3)}) to (${x1.toFixed(3)}, ${y1.toFixed(3)}) after ` +
      `${path.points.length - 1} updates${path.stopped ? ` — stopped: ${path.stopped}` : ""}`;
    list.append(item);
  };

  const redraw = () => {
    try {
      const chosen = readChoice("pp-game", "game", PORTRAIT_GAMES);
      if ((chosen === "tandem") !== (game === "tandem")) {
        // A different kind of plane: its own scales of lr, η and steps, and a fresh start point.
        showSettings(defaultPortraitSettings(chosen));
        starts = [defaultStart(chosen)];
      }
      game = chosen;
      const settings = readSettings();
      saveToUrl([form]);
      const plane = portraitPlane(settings.game);
      const f = frame(plot, {
        width: SIZE,
        height: SIZE,
        xDomain: plane.xRange,
        yDomain: plane.yRange,
        xLabel: plane.xLabel,
        yLabel: plane.yLabel,
      });
      for (const [x0, y0, x1, y1] of plane.guides) {
        el("line", { x1: f.x(x0), y1: f.y(y0), x2: f.x(x1), y2: f.y(y1), class: "guide" }, f.plot);
      }
      drawField(f, vectorField(settings, GRID), (SIZE - 66) / GRID);
      list.replaceChildren();
      starts.forEach((start, i) => addTrajectory(f, settings, start, i));
      current = { frame: f, settings };
      plot.classList.remove("stale");
      showMessage(message, undefined);
    } catch (error) {
      current = undefined;
      plot.classList.add("stale");
      showMessage(message, error);
    }
  };

  plot.addEventListener("click", (event) => {
    if (!current) return;
    const svg = current.frame.svg;
    const box = svg.getBoundingClientRect();
    const scale = svg.viewBox.baseVal.width / box.width;
    const point = current.frame.invert((event.clientX - box.left) * scale, (event.clientY - box.top) * scale);
    const plane = portraitPlane(current.settings.game);
    const inside = (v: number, [lo, hi]: [number, number]) => v >= lo && v <= hi;
    if (!inside(point[0], plane.xRange) || !inside(point[1], plane.yRange)) return;
    starts.push(point);
    try {
      addTrajectory(current.frame, current.settings, point, starts.length - 1);
    } catch (error) {
      showMessage(message, error);
    }
  });
  document.getElementById("pp-clear")!.addEventListener("click", () => {
    starts = [];
    redraw();
  });
  onSettledChange(form, 200, redraw);
  redraw();
}
