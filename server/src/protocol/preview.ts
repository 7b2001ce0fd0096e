// The routing preview's protocol, defined once: custom LSP requests (server ↔ client) and the messages
// between the VS Code client and its webview. Imported by the server, the client and the webview, so it
// must import nothing from vscode, vscode-languageserver or Node.
//
// In three parts: ./preview-types.ts (shapes, requests, method names), ./preview-check.ts (the checks
// of params and results), ./preview-webview.ts (client ↔ webview messages and the view state).

export * from './preview-types';
export { paramsError, resultError } from './preview-check';
export * from './preview-webview';
