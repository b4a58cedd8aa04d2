/** The environment variables toolsmith reads, with what they do (shown in --help and the README). */
export const ENVIRONMENT: Record<string, string> = {
  TOOLSMITH_WORKSPACE: 'the workspace folder when --workspace is not given',
  TOOLSMITH_ACTOR: 'who performs a transition, as recorded in the audit log (default: the OS user name)',
  TOOLSMITH_SIGN_KEY: 'the SSH private key approve, reject and promote sign with when --sign-key is not given',
  TOOLSMITH_LLM_BASE_URL: 'generate --llm: the Chat Completions API root, over llm.base_url',
  TOOLSMITH_LLM_MODEL: 'generate --llm: the model, over llm.model',
  NO_COLOR: 'set to anything but the empty string: no colour',
  FORCE_COLOR: 'colour even when not writing to a terminal (0 or false: never)',
};
