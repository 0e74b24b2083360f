// A spreadsheet id as people paste it: the id itself, or the sheet's address
// (https://docs.google.com/spreadsheets/d/ID/edit#gid=0), from which the id is taken.

const ID = /^[A-Za-z0-9_-]{1,200}$/;
const IN_URL = /\/spreadsheets\/d\/([A-Za-z0-9_-]{1,200})(?:[/?#]|$)/;

/** The id, or null when the text is neither an id nor a spreadsheet's address. */
export function spreadsheetIdOf(text: string): string | null {
  const s = text.trim();
  if (ID.test(s)) return s;
  return IN_URL.exec(s)?.[1] ?? null;
}

export const SPREADSHEET_ID_HELP = "a spreadsheet id (the part of the sheet's address between /d/ and /edit) or the address itself";
