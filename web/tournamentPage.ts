/** The tournament page's entry point (web/tournament.html loads it as dist/web/tournamentPage.js). */
import { setUpTournamentPanel } from "./tournamentPanel.js";

for (const form of document.querySelectorAll("form"))
  form.addEventListener("submit", (e) => e.preventDefault());
setUpTournamentPanel();
document.body.dataset.ready = "true";
