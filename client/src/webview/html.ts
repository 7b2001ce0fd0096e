// The preview page's HTML: a strict Content-Security-Policy with a nonce, one script, the page's stylesheet
// and the codicon font's.
// A pure function (no vscode import) so that the panel and the Chromium test harness serve the same page.

export interface PreviewHtmlOptions {
  /** URI of dist/webview.js as the webview may load it (asWebviewUri). */
  scriptUri: string;
  /** URI of dist/webview.css. */
  styleUri: string;
  /** URI of dist/codicon.css (VS Code's icon font; the font file sits beside it). */
  codiconUri: string;
  /** webview.cspSource: the origin the webview's own resources come from. */
  cspSource: string;
  nonce: string;
  title: string;
  /** Extra scripts, each run with the nonce (the test harness adds its fake VS Code API here). */
  inlineScripts?: string[];
}

function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A fresh random nonce (base64url, 128 bits). */
export function makeNonce(random: (bytes: Uint8Array) => Uint8Array): string {
  const bytes = random(new Uint8Array(16));
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function previewHtml(o: PreviewHtmlOptions): string {
  const csp = [
    "default-src 'none'",
    `img-src ${o.cspSource} data:`,
    `font-src ${o.cspSource}`,
    `style-src ${o.cspSource} 'nonce-${o.nonce}'`,
    `script-src 'nonce-${o.nonce}'`,
  ].join('; ');
  const inline = (o.inlineScripts ?? [])
    .map((s) => `<script nonce="${attr(o.nonce)}">${s.replace(/<\//g, '<\\/')}</script>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(o.codiconUri)}">
<link rel="stylesheet" href="${attr(o.styleUri)}">
<title>${attr(o.title)}</title>
</head>
<body>
<div id="app" data-nonce="${attr(o.nonce)}"></div>
${inline}
<script nonce="${attr(o.nonce)}" src="${attr(o.scriptUri)}"></script>
</body>
</html>`;
}
