/** What one gate found: whether it passed, and the lines it adds to the report. */
export interface GateResult {
  ok: boolean;
  errors: string[];
  logs: string[];
}
