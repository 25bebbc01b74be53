/** What the user is writing in Compose; kept by App so that it survives moving between steps. */
export type Draft = { list: string; subject: string; from: string; html: string };

export function emptyDraft(): Draft {
  return { list: "", subject: "", from: "", html: "" };
}
