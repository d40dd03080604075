import { beforeAll, describe, expect, it } from 'vitest';
import { cleanHtml } from '../../src/clean/html/clean-html.js';
import type { HtmlRules } from '../../src/clean/html/html-rules.js';
import { loadHtmlRules } from '../../src/clean/html/load-html-rules.js';

/**
 * What a reader sees around the article: the headline as shown, the people in the byline,
 * the publication date, and the comments, on layouts no rule names (tables, div soup, RDFa).
 */
let rules: HtmlRules;
beforeAll(async () => {
  rules = { ...(await loadHtmlRules({ sitesDir: 'config/sites' })), sites: [] };
});

const STORY = [
  'The water board said on Tuesday that the pumping station on the northern ring road would run again by the end of the month, after spare parts arrived from the coast.',
  'Engineers had worked for three weeks to replace the burnt motors, and residents of the upper quarters, who had carried water in jerrycans since the spring, said they would believe it when the taps ran.',
  'A spokesman for the board said that the repairs cost less than expected, that two more stations would follow before winter, and that the tariff would not change this year.',
];
const paragraphs = STORY.map((p) => `<p>${p}</p>`).join('\n');

function clean(html: string, url: string | null = 'https://www.valleypost.example/news/123') {
  return cleanHtml({ html, url }, rules);
}

describe('headline', () => {
  it('is the heading that agrees with a part of the <title>, whatever its tag', () => {
    const html = `<html><head><title>Valley Post | Pumping station to run again by month end</title></head>
      <body><div class="logo"><h2 class="site-title">Valley Post</h2></div>
      <div class="section">Local - Services</div>
      <div class="headline"><h2>Pumping station to run again by month end</h2></div>
      <div class="txt">${paragraphs}</div></body></html>`;
    const page = clean(html);
    expect(page.title).toBe('Pumping station to run again by month end');
    expect(page.body).not.toContain('Local - Services');
    expect(page.removed.map((r) => r.text)).toContain('Local - Services');
  });

  it("drops the parts of a title that name the site: og:site_name, the host's name, a domain", () => {
    const body = `<body><div>${paragraphs}</div></body>`;
    const title = (head: string, url: string): string =>
      clean(`<html><head>${head}</head>${body}</html>`, url).title;
    expect(
      title(
        '<title>Pumps back by month end - Valley Post | valleypost.example</title>',
        'https://news.valleypost.example/a/1',
      ),
    ).toBe('Pumps back by month end');
    expect(
      title(
        '<title>Riverside Daily: Pumps back by month end</title><meta property="og:site_name" content="Riverside Daily">',
        'https://example.org/a/1',
      ),
    ).toBe('Pumps back by month end');
    expect(
      title('<title>Hama - Homs road reopens after truce</title>', 'https://example.org/a/1'),
    ).toBe('Hama - Homs road reopens after truce');
  });
});

describe('authors', () => {
  const byline = (line: string, head = ''): string[] =>
    clean(
      `<html><head>${head}<title>Pumps back by month end | Valley Post</title></head><body>
      <article><h1>Pumps back by month end</h1><div class="writer">${line}</div>${paragraphs}</article></body></html>`,
    ).authors;

  it('splits a byline into people: "A and B", "A, B"', () => {
    expect(byline('By Rana Saleh and Omar Fakhoury')).toEqual(['Rana Saleh', 'Omar Fakhoury']);
    expect(byline('Rana Saleh, Omar Fakhoury &amp; Lina al-Khatib')).toEqual([
      'Rana Saleh',
      'Omar Fakhoury',
      'Lina al-Khatib',
    ]);
  });

  it('leaves out roles, places of filing, the site itself and labels', () => {
    expect(byline('Rana Saleh | Staff writer')).toEqual(['Rana Saleh']);
    expect(byline('Tripoli - Rana Saleh')).toEqual(['Rana Saleh']);
    expect(byline('Rana Saleh | ValleyPost')).toEqual(['Rana Saleh']);
    expect(byline('Written by:&nbsp;Rana Saleh')).toEqual(['Rana Saleh']);
    expect(
      byline(
        'Rana Saleh, Valley Post English',
        '<meta property="og:site_name" content="Valley Post English">',
      ),
    ).toEqual(['Rana Saleh']);
    expect(byline('Editing by the Valley Post desk')).toEqual([]);
  });

  it('never takes a CMS account name or a publisher credited in JSON-LD as an author', () => {
    const ld = `<script type="application/ld+json">${JSON.stringify({
      '@type': 'NewsArticle',
      headline: 'Pumps back by month end',
      author: { '@type': 'Organization', name: 'Valley Post Media' },
    })}</script>`;
    const html = `<html><head>${ld}</head><body><article><h1>Pumps back by month end</h1>
      <div class="meta submitted">Submitted by <span class="username">webeditor</span> on 11/09/2017</div>
      ${paragraphs}</article></body></html>`;
    expect(clean(html).authors).toEqual([]);
  });
});

describe('publication date', () => {
  const article = (top: string, head = ''): string =>
    `<html><head>${head}</head><body><h1>Pumps back by month end</h1>${top}<div class="body">${paragraphs}</div>
     <ul class="most-read"><li><a href="/b">Bakery prices rise again across the valley</a> <time datetime="2017-10-01">1 Oct</time></li></ul></body></html>`;

  it('reads RDFa and microdata content attributes, as precise as they state', () => {
    const top =
      '<div class="meta"><span property="dc:date dc:created" content="2017-11-09T13:07:22+02:00">Submitted on Thu, 11/09/2017 - 13:07</span></div>';
    expect(clean(article(top)).publishedAt).toBe('2017-11-09T13:07:22+02:00');
  });

  it('reads a date line under the headline, or one part of a credit line', () => {
    expect(clean(article('<div class="info">6 March 2018 | 09:45</div>')).publishedAt).toBe(
      '2018-03-06T09:45',
    );
    const credit =
      '<table><tr><td class="sj">Source: Valley Post| 2016-12-22 23:49:17|Editor: Sami Haddad</td></tr></table>';
    expect(clean(article(credit)).publishedAt).toBe('2016-12-22T23:49:17');
  });

  it('never takes a modified, relative or related-list date', () => {
    expect(
      clean(article('<div>Last modified 3 May 2017 | 19:45</div><span>3 hours ago</span>'))
        .publishedAt,
    ).toBeNull();
    const updated =
      '<time class="updated" datetime="2019-01-18T10:02:11">18 Jan</time><time class="published" datetime="2019-01-16T17:30:45">16 Jan</time>';
    expect(clean(article(updated)).publishedAt).toBe('2019-01-16T17:30:45');
  });
});

describe('comments outside known markup', () => {
  it('reads a table of comments, spam flagged, and keeps it out of the body', () => {
    const row = (name: string, date: string, text: string): string =>
      `<tr><td><b>${name}</b><br><span>${date}</span></td><td>${text}</td></tr>`;
    const html = `<html><body><h1>Pumps back by month end</h1><div class="txt">${paragraphs}</div>
      <div class="readers-comments"><div>Readers' comments (3)</div><table>
      <tr><td>Name</td><td>Comment</td></tr>
      ${row('Hiba N.', '07/03/2018 10:02', 'We waited all summer for this, let us see if it lasts past the first storm.')}
      ${row('Quick Cash', '07/03/2018 11:40', 'Earn 3000 dollars weekly working from your phone, contact us on WhatsApp today.')}
      ${row('Karim', '08/03/2018 08:15', 'The board promised the same thing two years ago and nothing happened after it.')}
      </table></div></body></html>`;
    const page = clean(html);
    expect(page.comments.map(({ author, depth, spam }) => ({ author, depth, spam }))).toEqual([
      { author: 'Hiba N.', depth: 0, spam: false },
      { author: 'Quick Cash', depth: 0, spam: true },
      { author: 'Karim', depth: 0, spam: false },
    ]);
    expect(page.comments[0]?.text).toBe(
      'We waited all summer for this, let us see if it lasts past the first storm.',
    );
    expect(page.body).not.toContain('waited all summer');
    expect(page.body).toBe(STORY.join('\n\n'));
  });

  it('gives replies in a Drupal-style "indented" wrapper one level of depth', () => {
    const comment = (name: string, text: string): string =>
      `<div class="comment"><p class="commenter-name"><span class="username">${name}</span></p><div class="content"><p>${text}</p></div></div>`;
    const html = `<html><body><h1>Pumps back by month end</h1><div class="txt">${paragraphs}</div>
      <div id="comments">${comment('Nadia', 'Finally some good news for the upper quarters this year.')}
      <div class="indented">${comment('Sami', 'Good news only if the motors do not burn again next month.')}</div></div></body></html>`;
    expect(clean(html).comments.map((c) => [c.author, c.depth])).toEqual([
      ['Nadia', 0],
      ['Sami', 1],
    ]);
  });
});

describe('body', () => {
  it('drops a pull quote that repeats the article, and keeps a quotation that does not', () => {
    const html = `<html><body><h1>Pumps back by month end</h1><div class="story">
      <p>${STORY[0]}</p><blockquote>Residents of the upper quarters carried water in jerrycans since the spring</blockquote>
      <p>${STORY[1]}</p><blockquote>“We will have water in every house before the first rain,” the governor wrote in a letter to the council.</blockquote>
      <p>${STORY[2]}</p></div></body></html>`;
    const page = clean(html);
    expect(page.body).not.toContain('Residents of the upper quarters carried water in jerrycans');
    expect(page.body).toContain('the governor wrote in a letter');
    expect(page.removed.map((r) => r.rule)).toContain('pull-quote');
  });

  it('drops an image with its caption in a table layout, and a translator credit', () => {
    const html = `<html><body><table><tr><td class="title">Pumps back by month end</td></tr><tr><td id="content">
      <table><tr><td><img src="a.jpg"></td></tr><tr><td>Workers at the station, March 5, 2018. (Valley Post/Sami Haddad)</td></tr></table>
      ${paragraphs}<p>Translated from the French by Lina Morel.</p></td></tr></table></body></html>`;
    const page = clean(html);
    expect(page.body).toBe(STORY.join('\n\n'));
    expect(page.removed.map((r) => r.rule)).toEqual(
      expect.arrayContaining(['caption', 'credit-line']),
    );
  });
});

describe('site profiles', () => {
  it('are cheerio selectors, jQuery extensions included, checked when the rules load', async () => {
    const { compileSiteProfile } = await import('../../src/clean/html/html-rules.js');
    const profile = {
      name: 'valley',
      hosts: ['valleypost.example'],
      keep: ['div.story:first'],
      drop: ['div.story:first p:last'],
      dropLines: [],
    };
    const site = compileSiteProfile(profile);
    const html = `<html><body><h1>Pumps back by month end</h1><div class="story">${paragraphs}<p>Follow the Valley Post for more updates on the valley.</p></div>
      <div class="story"><p>${STORY[0]}</p></div></body></html>`;
    const page = cleanHtml(
      { html, url: 'https://www.valleypost.example/a' },
      { ...rules, sites: [site] },
    );
    expect(page.body).toBe(STORY.join('\n\n'));
    expect(() => compileSiteProfile({ ...profile, keep: ['div.story:nope('] })).toThrow(
      /invalid selector "div.story:nope\("/,
    );
  });
});
