/** The sampled-learners page's entry point (web/sampled.html loads it as dist/web/sampledPage.js). */
import { setUpSampledPanel } from "./sampledPanel.js";

for (const form of document.querySelectorAll("form"))
  form.addEventListener("submit", (e) => e.preventDefault());
setUpSampledPanel();
document.body.dataset.ready = "true";
