/**
 * A page's settings in its URL query string, so a configuration can be shared and reloaded: every field (input or
 * select with an id) of the given forms is one query parameter named by its id (`?dyn-game=ipd&dyn-lr1=0.5`). A
 * panel saves its own form and keeps the others' parameters, so a page with two panels has both in one link. A
 * checkbox is "1" or "0"; a multiple select lists its chosen values separated by ";" (strategy names may hold
 * commas, never semicolons). Values are restored as text; reading them back goes through the same range checks
 * as typing them (web/form.ts), so a bad shared link shows the usual message naming the field.
 */

type Field = HTMLInputElement | HTMLSelectElement;

function fields(forms: readonly HTMLFormElement[]): Field[] {
  return forms.flatMap((form) =>
    [...form.querySelectorAll<Field>("input[id], select[id]")].filter(
      (f) => !(f instanceof HTMLInputElement && (f.type === "button" || f.type === "file")),
    ),
  );
}

function fieldValue(field: Field): string {
  if (field instanceof HTMLInputElement && field.type === "checkbox") return field.checked ? "1" : "0";
  if (field instanceof HTMLSelectElement && field.multiple)
    return [...field.selectedOptions].map((o) => o.value).join(";");
  return field.value;
}

function setValue(field: Field, value: string): void {
  if (field instanceof HTMLInputElement && field.type === "checkbox") field.checked = value === "1";
  else if (field instanceof HTMLSelectElement && field.multiple) {
    const chosen = new Set(value.split(";"));
    for (const option of field.options) option.selected = chosen.has(option.value);
  } else if (field instanceof HTMLSelectElement && ![...field.options].some((o) => o.value === value)) {
    // A value the page does not offer (a mistyped link): kept, so reading it names it in the field's message.
    field.append(new Option(value, value, true, true));
  } else field.value = value;
}

/** Set the forms' fields from the current URL (fields the URL does not name keep their defaults). */
export function restoreFromUrl(forms: readonly HTMLFormElement[], search = location.search): void {
  const params = new URLSearchParams(search);
  for (const field of fields(forms)) {
    const value = params.get(field.id);
    if (value !== null) setValue(field, value);
  }
}

/** The query string holding every field of the forms, and the parameters of `search` that they do not name. */
export function settingsQuery(forms: readonly HTMLFormElement[], search = location.search): string {
  const params = new URLSearchParams(search);
  for (const field of fields(forms)) params.set(field.id, fieldValue(field));
  return `?${params.toString()}`;
}

/**
 * Replace the URL (no new history entry) with one that reloads the forms' current settings; other panels'
 * parameters already in the URL are kept.
 */
export function saveToUrl(forms: readonly HTMLFormElement[]): void {
  history.replaceState(null, "", `${location.pathname}${settingsQuery(forms)}`);
}
