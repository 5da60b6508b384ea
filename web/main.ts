/**
 * The browser explorer's entry point (web/index.html loads it as dist/web/main.js): two panels that run the exact
 * engine and the exact learners in the page. `shapelab explore` serves it.
 */
import { setUpDynamicsPanel } from "./dynamicsPanel.js";
import { setUpPortraitPanel } from "./portraitPanel.js";

for (const form of document.querySelectorAll("form"))
  form.addEventListener("submit", (e) => e.preventDefault());
setUpDynamicsPanel();
setUpPortraitPanel();
document.body.dataset.ready = "true";
