/**
 * The file `shapelab bandit-fit --out` writes and choice-engineering reads (`params.surrogate.gru.file`): a fitted
 * GRU surrogate of the bandit task (gruChoiceModel.ts) as JSON,
 *   { "format": "shapelab-bandit-gru", "version": 1, "cells": H,
 *     "parameters": [...],   // float32 values in PyTorch's parameters() order (gru.weight_ih, …, dense.bias)
 *     "nll": { "train": …, "heldOut": …, "qLearnerHeldOut": … }, "source": "<the csv>" }
 * Isomorphic: the text is read by the caller. A wrong file is an InputError naming the file and the field.
 */
import { InputError } from "../../util/errors.js";
import { GruChoiceModel } from "./gruChoiceModel.js";

export const GRU_FILE_FORMAT = "shapelab-bandit-gru";
export const GRU_FILE_VERSION = 1;
const MAX_CELLS = 64;

export interface GruFileNll {
  train: number;
  heldOut?: number;
  qLearnerHeldOut?: number;
}

export function encodeGruFile(model: GruChoiceModel, nll: GruFileNll, source: string): string {
  return `${JSON.stringify({
    format: GRU_FILE_FORMAT,
    version: GRU_FILE_VERSION,
    cells: model.cells,
    parameters: Array.from(model.params.values),
    nll,
    source,
  })}\n`;
}

export function decodeGruFile(text: string, file: string): { model: GruChoiceModel; nll: GruFileNll } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new InputError(
      file,
      `not JSON (${(error as Error).message}); expected a file written by shapelab bandit-fit --out`,
    );
  }
  const doc = raw as Record<string, unknown>;
  if (typeof raw !== "object" || raw === null || doc.format !== GRU_FILE_FORMAT)
    throw new InputError(
      `${file}.format`,
      `must be "${GRU_FILE_FORMAT}" (a file written by shapelab bandit-fit --out), got ${JSON.stringify(doc?.format)}`,
    );
  if (doc.version !== GRU_FILE_VERSION)
    throw new InputError(
      `${file}.version`,
      `must be ${GRU_FILE_VERSION}, got ${JSON.stringify(doc.version)}`,
    );
  const cells = doc.cells;
  if (typeof cells !== "number" || !Number.isInteger(cells) || cells < 1 || cells > MAX_CELLS)
    throw new InputError(
      `${file}.cells`,
      `must be an integer in [1, ${MAX_CELLS}], got ${JSON.stringify(cells)}`,
    );
  const model = new GruChoiceModel(cells);
  const parameters = doc.parameters;
  if (!Array.isArray(parameters) || parameters.length !== model.params.size)
    throw new InputError(
      `${file}.parameters`,
      `must be a list of ${model.params.size} numbers for ${cells} cells, got ${Array.isArray(parameters) ? parameters.length : typeof parameters}`,
    );
  parameters.forEach((v, i) => {
    if (typeof v !== "number" || !Number.isFinite(v))
      throw new InputError(`${file}.parameters[${i}]`, `must be a finite number, got ${JSON.stringify(v)}`);
    model.params.values[i] = v;
  });
  const nll = (doc.nll ?? {}) as Record<string, unknown>;
  const number = (k: string) =>
    typeof nll[k] === "number" && Number.isFinite(nll[k]) ? (nll[k] as number) : undefined;
  return {
    model,
    nll: {
      train: number("train") ?? Number.NaN,
      heldOut: number("heldOut"),
      qLearnerHeldOut: number("qLearnerHeldOut"),
    },
  };
}
