/**
 * The widget's whole stylesheet. Every selector is under `.acw` (the widget root), so nothing
 * leaks into a host page when rendered without shadow DOM. In shadow DOM `:host` resets inherited
 * styles, and `.acw` resets the inherited text properties once more: a page rule matching the
 * element itself (`* { letter-spacing: … }`) beats `:host` and would still be inherited. Public knobs are the `--acw-*` custom properties; the short
 * private ones (`--a`, `--bg`, …) hold the resolved value for light or dark.
 * Kept one rule per line: it ships as-is in the bundle.
 */
export const css = `:host{all:initial;display:contents}
.acw{color-scheme:light dark;--a:var(--acw-accent,light-dark(#0b57d0,#8ab4f8));--at:var(--acw-accent-text,light-dark(#fff,#0b1a33));--bg:var(--acw-background,light-dark(#fff,#1b1d21));--fg:var(--acw-text,light-dark(#1f2328,#e8eaed));--mu:var(--acw-muted,light-dark(#57606a,#a8b0b9));--bd:var(--acw-border,light-dark(#d0d7de,#3c4047));--ub:var(--acw-user-background,light-dark(#0b57d0,#8ab4f8));--uf:var(--acw-user-text,light-dark(#fff,#0b1a33));--bb:var(--acw-assistant-background,light-dark(#f2f4f7,#2a2d33));--bf:var(--acw-assistant-text,light-dark(#1f2328,#e8eaed));--er:var(--acw-danger,light-dark(#b3261e,#f2b8b5));--cb:var(--acw-code-background,light-dark(#eef1f4,#111315));--fo:var(--acw-focus,light-dark(#0b57d0,#8ab4f8));--r:var(--acw-radius,14px);--ff:var(--acw-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);--fs:var(--acw-font-size,15px);font:400 var(--fs)/1.45 var(--ff);color:var(--fg);letter-spacing:normal;word-spacing:normal;text-transform:none;text-indent:0;text-shadow:none;text-align:start;white-space:normal;font-feature-settings:normal;visibility:visible;cursor:auto;box-sizing:border-box;-webkit-font-smoothing:antialiased}
.acw[data-theme=light]{color-scheme:light}
.acw[data-theme=dark]{color-scheme:dark}
.acw *,.acw *::before,.acw *::after{box-sizing:inherit}
:where(.acw) button,:where(.acw) textarea{font:inherit;color:inherit}
.acw :focus-visible{outline:2px solid var(--fo);outline-offset:2px}
.acw-sr{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.acw-launcher{position:fixed;z-index:var(--acw-z-index,2147483000);bottom:var(--acw-offset-y,20px);inset-inline-end:var(--acw-offset-x,20px);width:var(--acw-launcher-size,56px);height:var(--acw-launcher-size,56px);border-radius:50%;border:0;background:var(--a);color:var(--at);cursor:pointer;display:grid;place-items:center;box-shadow:0 4px 14px rgba(0,0,0,.25)}
.acw[data-position=left] .acw-launcher,.acw[data-position=left] .acw-panel[data-mode=bubble]{inset-inline-end:auto;inset-inline-start:var(--acw-offset-x,20px)}
.acw-launcher svg{width:26px;height:26px;fill:currentColor}
.acw svg[fill=none]{fill:none}
.acw-panel{display:flex;flex-direction:column;background:var(--bg);color:var(--fg);border:1px solid var(--bd);border-radius:var(--r);overflow:hidden;min-height:0}
.acw-panel[data-mode=bubble]{position:fixed;z-index:var(--acw-z-index,2147483000);bottom:calc(var(--acw-offset-y,20px) + var(--acw-launcher-size,56px) + 12px);inset-inline-end:var(--acw-offset-x,20px);width:min(var(--acw-width,380px),calc(100vw - 24px));height:min(var(--acw-height,600px),calc(100vh - 120px));box-shadow:0 12px 40px rgba(0,0,0,.28)}
.acw-panel[data-mode=inline]{height:var(--acw-height,600px);width:100%}
.acw-panel[data-mode=fullscreen]{position:fixed;inset:0;border-radius:0;border:0;z-index:var(--acw-z-index,2147483000)}
.acw-head{display:flex;align-items:center;gap:10px;padding:12px 14px;background:var(--a);color:var(--at)}
.acw-head img{width:32px;height:32px;border-radius:50%}
.acw-head div{flex:1;min-width:0}
.acw-head h2{margin:0;font-size:1.05em;font-weight:600}
.acw-head p{margin:0;font-size:.85em;opacity:.9}
.acw-icon{background:none;border:0;border-radius:8px;padding:6px;cursor:pointer;display:grid;place-items:center;color:inherit}
.acw-icon svg{width:20px;height:20px;fill:currentColor}
.acw-log{flex:1;overflow-y:auto;padding:14px;display:flex;flex-direction:column;gap:10px;overscroll-behavior:contain}
.acw-msg{max-width:88%;padding:9px 13px;border-radius:var(--r);overflow-wrap:anywhere;word-break:break-word}
.acw-msg[data-role=user]{align-self:flex-end;background:var(--ub);color:var(--uf);white-space:pre-wrap;border-end-end-radius:4px}
.acw-msg[data-role=assistant],.acw-msg[data-role=system]{align-self:flex-start;background:var(--bb);color:var(--bf);border-end-start-radius:4px}
.acw-msg>:first-child{margin-top:0}.acw-msg>:last-child{margin-bottom:0}
.acw-msg p,.acw-msg ul,.acw-msg ol,.acw-msg pre,.acw-msg blockquote,.acw-msg table{margin:.5em 0}
.acw-msg ul,.acw-msg ol{padding-inline-start:1.4em}
.acw-msg h3{font-size:1.05em;margin:.6em 0 .3em}.acw-msg h3[data-level='1']{font-size:1.15em}
.acw-msg a{color:inherit;text-decoration:underline}
.acw-msg code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em;background:var(--cb);border-radius:4px;padding:.1em .3em}
.acw-msg pre{background:var(--cb);padding:10px;border-radius:8px;overflow-x:auto}
.acw-msg pre code{padding:0;background:none;white-space:pre}
.acw-msg blockquote{margin-inline:0;padding-inline-start:10px;border-inline-start:3px solid var(--bd)}
.acw-table{overflow-x:auto}
.acw-msg table{border-collapse:collapse}
.acw-msg th,.acw-msg td{border:1px solid var(--bd);padding:4px 8px;text-align:start}
.acw-meta{font-size:.8em;color:var(--mu);align-self:flex-end;margin-top:-6px;display:flex;gap:8px;align-items:center}
.acw-thinking{align-self:flex-start;display:flex;align-items:center;gap:8px;flex-wrap:wrap;padding:8px 12px;border-radius:var(--r);background:var(--bb);color:var(--bf)}
.acw-dots{display:inline-flex;gap:3px}
.acw-dots i{width:6px;height:6px;border-radius:50%;background:currentColor;opacity:.4;animation:acw-b 1.2s infinite ease-in-out}
.acw-dots i:nth-child(2){animation-delay:.2s}.acw-dots i:nth-child(3){animation-delay:.4s}
@keyframes acw-b{0%,80%,100%{opacity:.3;transform:none}40%{opacity:1;transform:translateY(-2px)}}
@media (prefers-reduced-motion:reduce){.acw-dots i{animation:none;opacity:.7}}
.acw-elapsed{color:var(--mu);font-size:.85em;font-variant-numeric:tabular-nums}
.acw-btn{border:1px solid var(--bd);background:var(--bg);color:var(--fg);border-radius:999px;padding:4px 12px;cursor:pointer;font-size:.9em}
.acw-btn:hover{border-color:var(--a)}
.acw-error{align-self:stretch;display:flex;align-items:center;gap:10px;flex-wrap:wrap;padding:8px 12px;border-radius:var(--r);border:1px solid var(--er);color:var(--er)}
.acw-error p{margin:0;flex:1}
.acw-banner{padding:6px 14px;font-size:.85em;background:var(--cb);color:var(--fg);border-bottom:1px solid var(--bd)}
.acw-welcome{display:flex;flex-direction:column;gap:10px}
.acw-welcome ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:6px}
.acw-welcome .acw-btn{text-align:start}
.acw-compose{display:flex;gap:8px;align-items:flex-end;padding:10px;border-top:1px solid var(--bd)}
.acw-compose textarea{flex:1;resize:none;min-height:40px;max-height:160px;padding:9px 11px;border:1px solid var(--bd);border-radius:10px;background:var(--bg);line-height:1.4}
.acw-send{border:0;border-radius:10px;background:var(--a);color:var(--at);padding:0 14px;height:40px;cursor:pointer;font-weight:600}
.acw-send:disabled{opacity:.55;cursor:default}
`;
