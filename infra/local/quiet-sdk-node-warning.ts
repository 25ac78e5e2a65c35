/**
 * Imported first, for its side effect, by the local commands (`npm start`, `npm run ingest`,
 * `npm run bench`) and by the jest setup, before any AWS SDK client exists.
 *
 * On Node 20, the oldest Node this project supports, the first SDK client of every process
 * prints a ten-line `NodeVersionSupportWarning`: SDK releases after January 2027 will need
 * Node 22. It is advice about upgrading Node for future SDK versions, not about anything these
 * commands do (the versions in package-lock.json work on Node 20, and the deployed functions
 * run Node 22, where it never appears), and it buried the first lines of `npm start`.
 *
 * @aws-sdk/core emits it with a bare `process.emitWarning(message)` (no type or code to filter
 * on) unless this variable is "true" when a client is created; the variable switches off that
 * warning only, so every other warning still prints. It is set only when unset: run with
 * `AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=false` to see the warning again.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export {};
