import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

/** What a page's body is: hono's escaped HTML (every `${value}` in `html` is escaped unless `raw`). */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export interface LayoutOptions {
  title: string;
  /** The signed-in user and the CSRF token of the sign-out form; absent on the sign-in page. */
  user?: { login: string; csrfToken: string };
  /** The section's menu (an organization's security pages), shown under the header. */
  nav?: { label: string; href: string; current: boolean }[];
}

const STYLE = `
*{box-sizing:border-box}body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328;background:#fff}
header{display:flex;align-items:center;gap:1rem;padding:.6rem 1.5rem;background:#24292f;color:#fff}
header a{color:#fff;text-decoration:none;font-weight:600}header .spacer{flex:1}header form{margin:0}
header button{background:none;border:1px solid #8c959f;color:#fff;border-radius:6px;padding:.2rem .7rem;cursor:pointer}
main{max-width:80rem;margin:1.5rem auto;padding:0 1.5rem}h1{font-size:1.5rem;margin:.2rem 0 1rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
a{color:#0969da}code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f6f8fa;padding:.1rem .3rem;border-radius:4px}
table{border-collapse:collapse;width:100%;border:1px solid #d0d7de;border-radius:6px}caption{text-align:left;padding:.4rem 0;color:#59636e}
th,td{text-align:left;padding:.5rem .75rem;border-top:1px solid #d0d7de;vertical-align:top}th{background:#f6f8fa;font-weight:600}
form.filters{display:flex;flex-wrap:wrap;gap:.75rem;align-items:end;margin:0 0 1rem;padding:.75rem;background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px}
label{display:block;font-weight:600;font-size:13px}select,input,textarea{font:inherit;padding:.25rem .4rem;border:1px solid #d0d7de;border-radius:6px}
label select,label input{display:block;font-weight:400;margin-top:.2rem}textarea{width:100%;max-width:40rem;display:block;margin-top:.2rem;font-weight:400}
button{font:inherit;padding:.3rem 1rem;border-radius:6px;border:1px solid #d0d7de;background:#f6f8fa;cursor:pointer}
button.primary{background:#1f883d;color:#fff;border-color:#1a7f37}button.danger{background:#cf222e;color:#fff;border-color:#a40e26}
.label{display:inline-block;padding:0 .5rem;border-radius:2em;font-size:12px;font-weight:600;border:1px solid}
.open{color:#1a7f37;border-color:#1a7f37}.resolved{color:#8250df;border-color:#8250df}
.notice{padding:.6rem .9rem;border-radius:6px;margin:0 0 1rem;border:1px solid #d4a72c;background:#fff8c5}
.error{border-color:#cf222e;background:#ffebe9}.muted{color:#59636e}nav.pages{display:flex;gap:1rem;margin:1rem 0}
ol.timeline{list-style:none;padding:0;border-left:2px solid #d0d7de;margin-left:.5rem}ol.timeline li{padding:.3rem 0 .6rem 1rem}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}dl.facts dt{font-weight:600}dl.facts dd{margin:0}
label input[type=radio]{display:inline;margin:0 .4rem 0 0}fieldset{border:1px solid #d0d7de;border-radius:6px}fieldset label{margin:.35rem 0}
section.box{border:1px solid #d0d7de;border-radius:6px;padding:.75rem 1rem;margin:1rem 0}
nav.section{display:flex;gap:.25rem;padding:0 1.5rem;border-bottom:1px solid #d0d7de;background:#f6f8fa}nav.section a{padding:.5rem .8rem;color:#1f2328;text-decoration:none;border-bottom:2px solid transparent}
nav.section a[aria-current=page]{border-bottom-color:#fd8c73;font-weight:600}a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible{outline:2px solid #0969da;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem;background:#fff;color:#0969da;padding:.3rem .6rem;z-index:1}
label.check{font-weight:400;display:flex;align-items:center;gap:.3rem}label.check input{margin:0}label.wide{flex-basis:100%}form.filters .help{flex-basis:100%;margin-top:-.5rem}.small{font-size:12px}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(30rem,1fr));gap:1rem}.cards{display:flex;gap:1rem;flex-wrap:wrap}
.card{border:1px solid #d0d7de;border-radius:6px;padding:.6rem 1rem;min-width:10rem}.card strong{display:block;font-size:1.6rem}
figure.chart{margin:0}figure.chart figcaption{font-size:12px;color:#59636e}.key{margin-right:1rem}.swatch{display:inline-block;width:.8rem;height:.8rem;border-radius:2px;margin-right:.3rem;vertical-align:middle}
details.data summary{cursor:pointer;color:#0969da;margin:.3rem 0}td.num,th.num{text-align:right}
`;

/** The page frame: header with the user and sign-out, one `main` with the page's heading first. */
export function layout(options: LayoutOptions, body: Html): Html {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>${options.title} · Vigil</title>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <style>
          ${raw(STYLE)}
        </style>
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header>
          <a href="/security">Vigil</a><span class="spacer"></span>${
            options.user
              ? html`<span>Signed in as <strong data-testid="login">${options.user.login}</strong></span>
                  <form method="post" action="/logout">
                    <input type="hidden" name="_csrf" value="${options.user.csrfToken}" /><button type="submit">
                      Sign out
                    </button>
                  </form>`
              : ""
          }
        </header>
        ${
          options.nav
            ? html`<nav class="section" aria-label="Security">
                ${options.nav.map((entry) => html`<a href="${entry.href}" ${entry.current ? raw(' aria-current="page"') : ""}>${entry.label}</a>`)}
              </nav>`
            : ""
        }
        <main id="main" tabindex="-1">${body}</main>
      </body>
    </html>`;
}
