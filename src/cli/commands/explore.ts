/**
 * `shapelab explore`: serve the browser explorer (web/index.html and the compiled library) on a local static HTTP
 * server until Ctrl-C. Every computation runs in the browser (the exact engine in the page, the sampled learners
 * in a Web Worker, tournaments in the page); the server only hands out files (src/node/explorerServer.ts).
 */
import type { Command } from "commander";
import { ExplorerNotBuiltError, isLoopbackHost, startExplorerServer } from "../../node/explorerServer.js";
import { InputError } from "../../util/errors.js";
import { parseInteger } from "../options.js";

export const EXPLORER_DEFAULT_PORT = 8737;

export function registerExplore(program: Command): void {
  program
    .command("explore")
    .summary("the browser explorer (serves a local page)")
    .description(
      "serve the browser explorer: learning dynamics of two exact learners on an iterated game (reward curves, " +
        "P(C) per state, TFT-like fractions) and phase portraits of one-shot 2x2 games and the SOS tandem game; " +
        "sampled learners (aa, lola-dice, pg, a2c) in a background worker with AA's quadrant diagnostics; " +
        "round-robin tournaments (ranking, payoff heatmap, the moves of any match). Settings live in the URL " +
        "(share a link), runs export as JSON/CSV and figures as SVG/PNG. Everything runs in the browser and gives " +
        "the CLI's numbers for the same seed; the server only serves files, until Ctrl-C.",
    )
    .option("--port <n>", "TCP port (0: any free port)", String(EXPLORER_DEFAULT_PORT))
    .option(
      "--host <h>",
      "address to listen on (default 127.0.0.1, answering only to loopback names; another address is reachable " +
        "from other machines, so it is warned about and the Host check is off)",
    )
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  shapelab explore               # then open http://127.0.0.1:8737/ (Ctrl-C stops it)\n" +
        "  shapelab explore --port 0      # any free port; the URL is printed\n" +
        "\nThen open the printed URL (`--port 0` picks a free port). Things to try: the phase portrait of matching\n" +
        "pennies (imp) with naive learners (they circle outward), then LOLA (it converges to (0.5, 0.5)); tandem\n" +
        "with LOLA (overshoots past x + y = 1), then SOS (settles on it); the IPD with naive vs LOLA; on\n" +
        "/sampled.html, AA against AA (ends tit-for-tat-like); on /tournament.html, click Defector's row.",
    )
    .action(async (flags: { port: string; host?: string }) => {
      const port = parseInteger("--port", flags.port, { min: 0, max: 65535 });
      const host = (flags.host ?? "127.0.0.1").trim();
      if (host === "") throw new InputError("--host", "must not be empty");
      if (!isLoopbackHost(host))
        process.stderr.write(
          `shapelab explorer: warning: listening on ${host}, not a loopback address: other machines on the ` +
            "network can reach this server (it has no authentication)\n",
        );
      let explorer: Awaited<ReturnType<typeof startExplorerServer>>;
      try {
        // The Host check guards the default loopback binding; a --host given on purpose turns it off.
        explorer = await startExplorerServer({
          host,
          port,
          checkHost: flags.host === undefined || undefined,
        });
      } catch (error) {
        if (!(error instanceof ExplorerNotBuiltError)) throw error;
        process.stderr.write(`shapelab: error: ${error.message}\n`);
        process.exitCode = 1;
        return;
      }
      // Listen for the signals BEFORE printing the URL: a caller that stops the server as soon as it reads the
      // URL must find the handlers installed (writes to a pipe are synchronous, so it can be that fast).
      const stopped = new Promise<NodeJS.Signals>((done) => {
        process.once("SIGINT", done);
        process.once("SIGTERM", done);
      });
      process.stdout.write(`shapelab explorer: ${explorer.url}  (Ctrl-C to stop)\n`);
      const signal = await stopped;
      await explorer.close();
      process.stderr.write(`shapelab explorer: stopped (${signal})\n`);
      // 128 + the signal number, as a shell reports a process the signal ended: 130 (SIGINT), 143 (SIGTERM).
      process.exitCode = signal === "SIGTERM" ? 143 : 130;
    });
}
