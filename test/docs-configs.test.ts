/**
 * Every experiment config shown in the docs (a ```yaml block with `kind:` in README.md, docs/*.md or
 * experiments/*.md, and every template file in experiments/templates/) validates and runs: through the CLI, with `--set` shrinking it to one seed and a few updates
 * so the check stays cheap, into a throw-away store. A template that drifts from the schema fails here, not in a
 * reader's terminal.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import YAML from "yaml";

const root = fileURLToPath(new URL("../../", import.meta.url));
const cli = join(root, "dist", "src", "cli", "main.js");

function docFiles(): string[] {
  const inDir = (dir: string) =>
    readdirSync(join(root, dir))
      .filter((f) => f.endsWith(".md"))
      .map((f) => join(dir, f));
  return ["README.md", ...inDir("docs"), ...inDir("experiments")];
}

function yamlConfigs(): { file: string; index: number; text: string }[] {
  const out: { file: string; index: number; text: string }[] = [];
  for (const file of docFiles()) {
    const text = readFileSync(join(root, file), "utf8");
    [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].forEach((m, index) => {
      if (/^kind:/m.test(m[1])) out.push({ file, index, text: m[1] });
    });
  }
  const templates = join("experiments", "templates");
  for (const f of readdirSync(join(root, templates)).filter((name) => name.endsWith(".yaml")))
    out.push({ file: join(templates, f), index: 0, text: readFileSync(join(root, templates, f), "utf8") });
  return out;
}

describe("configs shown in the docs", () => {
  const configs = yamlConfigs();

  it("there is at least the custom-experiment template in docs/experiments.md", () => {
    assert.ok(configs.some((c) => c.file === join("docs", "experiments.md")));
  });

  for (const config of configs) {
    it(`${config.file} yaml block ${config.index} runs (1 seed, shortened budget)`, () => {
      const dir = mkdtempSync(join(tmpdir(), "shapelab-doc-config-"));
      try {
        const file = join(dir, "config.yaml");
        writeFileSync(file, config.text);
        // Shrink only fields the config already has, so the overrides stay valid for any kind.
        const parsed = YAML.parse(config.text) as { budget?: Record<string, unknown> };
        const shrink = ["--set", "seeds.count=1"];
        if (parsed.budget?.steps !== undefined) shrink.push("--set", "budget.steps=5");
        if (parsed.budget?.updates !== undefined) shrink.push("--set", "budget.updates=2");
        const r = spawnSync(
          process.execPath,
          [cli, "run", file, "--store", join(dir, "store"), "--workers", "0", "--quiet", "--json", ...shrink],
          { encoding: "utf8" },
        );
        assert.equal(r.status, 0, r.stderr);
        const summary = JSON.parse(r.stdout);
        assert.equal(summary.failed.length, 0);
        assert.ok(summary.completed > 0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
