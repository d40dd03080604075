import { load } from 'cheerio';
import { DomUtils, parseDocument } from 'htmlparser2';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanHtml, matchSiteProfile } from '../../src/clean/html/clean-html.js';
import { spamRule } from '../../src/clean/html/extract-comments.js';
import { cleanTitle } from '../../src/clean/html/page-title.js';
import { SiteNames } from '../../src/clean/html/site-names.js';
import {
  compileSelector,
  compileSiteProfile,
  firstMatch,
  type HtmlRules,
} from '../../src/clean/html/html-rules.js';
import { loadHtmlRules } from '../../src/clean/html/load-html-rules.js';
import type { Removal } from '../../src/clean/clean-page.js';

let rules: HtmlRules;

/** Removal reports as plain objects: the text of a removed block is read when asked for. */
function plain(removed: readonly Removal[]): Removal[] {
  return removed.map(({ rule, text }) => ({ rule, text }));
}
beforeAll(async () => {
  rules = { ...(await loadHtmlRules({ sitesDir: 'config/sites' })), sites: [] };
});

const PROSE = [
  'The negotiation committee met on Sunday evening in the armored brigade headquarters, south-west of the city, after several sessions over the past weeks, according to a local source.',
  'The discussions focused on neutralizing the towns of the region from any military action by either party, with a ceasefire of two months that may be renewed, depending on circumstances.',
  'Residents said that the roads to the mountains stayed closed, that prices of bread and fuel had doubled, and that the hospitals had run out of insulin, antibiotics and anaesthetics.',
];

/** A news page: head metadata, chrome around, the article paragraphs inside. */
function page(
  options: { head?: string; article?: string; inside?: string; around?: string } = {},
): string {
  const paragraphs = PROSE.map((p) => `<p>${p}</p>`).join('\n') + (options.inside ?? '');
  return `<!doctype html><html lang="en"><head>${options.head ?? ''}</head><body>
    <nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
    <article class="post"><h1>Headline</h1>${options.article ?? ''}
    <div class="entry-content">${paragraphs}</div></article>${options.around ?? ''}
    <footer>All rights reserved</footer></body></html>`;
}

describe('cleanHtml body', () => {
  it('makes block elements paragraph breaks and <br> line breaks, so words never run together', () => {
    const html = page({
      inside: '<p>alpha<br>beta</p><div>gamma</div><ul><li>delta</li><li>epsilon</li></ul>',
    });
    const { body } = cleanHtml({ html, url: null }, rules);
    expect(body).toContain('alpha\nbeta');
    expect(body).not.toMatch(/alphabeta|gammadelta|deltaepsilon/);
    expect(body.split('\n\n')).toContain(PROSE[0]);
  });

  it('drops menus, footers, headline and donation counters, and reports each with its rule', () => {
    const html = page({
      inside: '<div class="counter"><p>2,500 $</p></div><p>Support SouthFront</p>',
    });
    const { body, removed: reports } = cleanHtml({ html, url: null }, rules);
    const removed = plain(reports);
    expect(body).toBe(PROSE.join('\n\n'));
    expect(removed).toContainEqual({ rule: 'donation', text: 'Support SouthFront' });
    const prose = page({
      inside:
        '<h2>Support for the regime</h2><p>By then the army had left.</p>' +
        '<p>Updated figures show more.</p><p>Via Dolorosa is a street</p>',
    });
    const kept = cleanHtml({ html: prose, url: null }, rules).body;
    expect(kept).toContain('Support for the regime');
    expect(kept).toContain('By then the army had left.');
    expect(kept).toContain('Updated figures show more.');
    expect(kept).toContain('Via Dolorosa is a street');
    const byline = cleanHtml({ html: page({ inside: '<p>By Maher Hilal</p>' }), url: null }, rules);
    expect(plain(byline.removed)).toContainEqual({ rule: 'byline', text: 'By Maher Hilal' });
    expect(removed).toContainEqual({ rule: 'donation-counter', text: '2,500 $' });
    expect(removed).toContainEqual({ rule: 'tag:footer', text: 'All rights reserved' });
    expect(removed.some((r) => r.text.includes('Home'))).toBe(true);
  });

  it('falls back to pruning without class names when a boilerplate-named block is the article', () => {
    const links = Array.from(
      { length: 60 },
      (_, i) => `<li><a href="/${i}">Story number ${i} of the day</a></li>`,
    );
    const html = `<html><body><ul class="list">${links.join('')}</ul>
      <div class="share-story">${PROSE.map((p) => `<p>${p}</p>`).join('')}</div></body></html>`;
    const { body } = cleanHtml({ html, url: null }, rules);
    expect(body).toBe(PROSE.join('\n\n'));
  });

  it('falls back to the JSON-LD articleBody when the page shows almost nothing', () => {
    const ld = { '@type': 'NewsArticle', headline: 'H', articleBody: PROSE.join('\n\n') };
    const html = `<html><head><script type="application/ld+json">${JSON.stringify(ld)}</script></head>
      <body><div id="app">Loading…</div></body></html>`;
    expect(cleanHtml({ html, url: null }, rules).body).toBe(PROSE.join('\n\n'));
  });
});

describe('cleanHtml on odd input', () => {
  it('reads fragments without <html> or <body>, and empty pages, without throwing', () => {
    expect(
      cleanHtml({ html: PROSE.map((p) => `<p>${p}</p>`).join(''), url: null }, rules).body,
    ).toBe(PROSE.join('\n\n'));
    const empty = cleanHtml({ html: '<html><body></body></html>', url: 'not a url' }, rules);
    expect(empty.body).toBe('');
    expect(empty.canonicalUrl).toBeNull();
  });

  it('reads pages nested deeper than browsers nest, as browsers do', () => {
    const html = `<body>${'<div>'.repeat(20_000)}deep${'</div>'.repeat(20_000)}</body>`;
    expect(cleanHtml({ html, url: null }, rules).body).toBe('deep');
  });
});

describe('cleanHtml metadata', () => {
  const ld = (extra: object): string =>
    `<script type="application/ld+json">${JSON.stringify({
      '@context': 'https://schema.org',
      '@graph': [
        { '@type': 'WebSite', name: 'Site' },
        { '@type': 'NewsArticle', ...extra },
      ],
    })}</script>`;

  it('trusts JSON-LD over OpenGraph over <time> over a visible date line', () => {
    const og = '<meta property="article:published_time" content="2018-04-05T10:00:00Z">';
    const time = '<time datetime="2018-04-04">April 4, 2018</time>';
    const line = '<div class="post-date">Posted on April 3, 2018</div>';
    const date = (head: string, article: string): string | null =>
      cleanHtml({ html: page({ head, article }), url: null }, rules).publishedAt;
    expect(date(ld({ datePublished: '2018-04-06T08:15:00+03:00' }) + og, time + line)).toBe(
      '2018-04-06T08:15:00+03:00',
    );
    expect(date(og, time + line)).toBe('2018-04-05T10:00:00Z');
    expect(date('', time + line)).toBe('2018-04-04');
    expect(date('', line)).toBe('2018-04-03');
  });

  it('never guesses a date: a banner month or a placeholder year is no publication date', () => {
    const html = page({ around: '<div class="header-date">JUNE 2021</div>' });
    expect(cleanHtml({ html, url: null }, rules).publishedAt).toBeNull();
    const placeholder = page({ head: ld({ datePublished: '0001-01-01T00:00:00Z' }) });
    expect(cleanHtml({ html: placeholder, url: null }, rules).publishedAt).toBeNull();
  });

  it('decodes HTML entities in JSON-LD strings', () => {
    const head = ld({
      headline: 'The Medium is the Message&#8217;s &amp; more',
      keywords: ['A&#8211;B'],
    });
    const clean = cleanHtml({ html: page({ head }), url: null }, rules);
    expect(clean.title).toBe('The Medium is the Message’s & more');
    expect(clean.tags).toEqual(['A–B']);
  });

  it('reads authors and keywords from JSON-LD arrays, tags from article:tag, lang from <html>', () => {
    const head =
      ld({
        headline: 'Army deploys more units',
        author: [{ '@type': 'Person', name: 'Leith Aboufadel' }, 'By Chris Tomson'],
        keywords: 'Qalamun, SAA',
      }) + '<meta property="article:tag" content="Syria">';
    const clean = cleanHtml({ html: page({ head }), url: null }, rules);
    expect(clean.title).toBe('Army deploys more units');
    expect(clean.authors).toEqual(['Leith Aboufadel', 'Chris Tomson']);
    expect(clean.tags).toEqual(['Syria', 'Qalamun', 'SAA']);
    expect(clean.lang).toBe('en');
  });

  it('falls back to the visible byline only when no metadata names an author', () => {
    const byline = '<div class="byline">By Maher Hilal</div>';
    const authorOf = (head: string): string[] =>
      cleanHtml({ html: page({ head, article: byline }), url: null }, rules).authors;
    expect(authorOf('')).toEqual(['Maher Hilal']);
    expect(authorOf('<meta name="author" content="Zaman Al Wasl">')).toEqual(['Zaman Al Wasl']);
  });

  it('finds the article under a WebPage mainEntity and writes og:locale as a language tag', () => {
    const head =
      '<meta property="og:locale" content="en_GB">' +
      `<script type="application/ld+json">${JSON.stringify({
        '@type': 'WebPage',
        mainEntity: {
          '@type': 'NewsArticle',
          headline: 'From mainEntity',
          datePublished: '2017-07-17',
        },
      })}</script>`;
    const html = page({ head }).replace('<html lang="en">', '<html>');
    const clean = cleanHtml({ html, url: null }, rules);
    expect(clean.title).toBe('From mainEntity');
    expect(clean.publishedAt).toBe('2017-07-17');
    expect(clean.lang).toBe('en-GB');
  });

  it('resolves the canonical URL against the page URL, else og:url, else null', () => {
    const canonical = '<link rel="canonical" href="/news/27683/">';
    const ogUrl = '<meta property="og:url" content="https://example.org/og/">';
    const url = 'https://example.org/news/27683/?utm_source=rss';
    const canonicalOf = (head: string): string | null =>
      cleanHtml({ html: page({ head }), url }, rules).canonicalUrl;
    expect(canonicalOf(canonical + ogUrl)).toBe('https://example.org/news/27683/');
    expect(canonicalOf(ogUrl)).toBe('https://example.org/og/');
    expect(canonicalOf('')).toBeNull();
  });

  it('cleans " | Site" suffixes and "Site - " prefixes off titles, and keeps real dashes', () => {
    const site = (name: string | null): SiteNames => new SiteNames([name], null);
    expect(
      cleanTitle('Russia Gives Militants Second Chance | SouthFront', site('SouthFront')),
    ).toBe('Russia Gives Militants Second Chance');
    expect(cleanTitle('Zaman Al Wasl - Russia to broker deal', site('Zaman Al Wasl'))).toBe(
      'Russia to broker deal',
    );
    expect(cleanTitle('Hama - Homs road reopens after truce', site(null))).toBe(
      'Hama - Homs road reopens after truce',
    );
  });
});

describe('comments', () => {
  it('reads Disqus-style threads with depth and keeps them out of the body', () => {
    const thread = `<div id="disqus_thread"><ul class="post-list">
      <li class="post"><div class="post-content"><span class="author">Eskandar Black</span>
        <div class="post-message"><p>Things will go a lot faster when the SAA start making examples.</p></div></div>
        <ul class="children"><li class="post"><div class="post-content"><span class="author">Al</span>
          <div class="post-message"><p>It is time to attack, point.</p></div></div></li></ul></li>
      </ul></div>`;
    const clean = cleanHtml({ html: page({ around: thread }), url: null }, rules);
    expect(clean.comments).toEqual([
      {
        author: 'Eskandar Black',
        text: 'Things will go a lot faster when the SAA start making examples.',
        depth: 0,
        spam: false,
      },
      { author: 'Al', text: 'It is time to attack, point.', depth: 1, spam: false },
    ]);
    expect(clean.body).not.toContain('SAA start making examples');
    expect(clean.removed.filter((r) => r.rule === 'comments:extracted')).toHaveLength(1);
  });

  it('takes a plain div.comments thread out of the body, even one far longer than the story', () => {
    // A one-sentence story under thousands of comments: the comments must not become the body.
    const story =
      '<p>Jaysh al-Islam fighters left Jayrud and al-Ruhaybah in Eastern Qalamoun, local sources said on Monday.</p>';
    const thread = `<div class="comments">${'<div class="comment"><p>spam spam</p></div>'.repeat(3000)}</div>`;
    const clean = cleanHtml(
      {
        html: `<!doctype html><html><head><title>T</title></head><body>${story}${thread}</body></html>`,
        url: null,
      },
      rules,
    );
    expect(clean.body).toBe(
      'Jaysh al-Islam fighters left Jayrud and al-Ruhaybah in Eastern Qalamoun, local sources said on Monday.',
    );
    expect(clean.comments).toHaveLength(3000);
    expect(clean.comments[0]).toEqual({ author: null, text: 'spam spam', depth: 0, spam: false });
  });

  it('reads classic WordPress ol.commentlist threads, and their dates are not the article date', () => {
    const item = (author: string, text: string, children = ''): string =>
      `<li class="comment"><div class="comment-body"><div class="comment-author vcard"><cite class="fn">${author}</cite> <span class="says">says:</span></div>
       <div class="comment-meta commentmetadata"><a href="#c"><span class="comment-date">April 5, 2018 at 22:19</span></a></div>
       <p>${text}</p><div class="reply"><a class="comment-reply-link" href="#respond">Reply</a></div></div>${children}</li>`;
    const list = `<ol class="commentlist">${item(
      'frances',
      'agree this event was part of a larger game plan.',
      `<ul class="children">${item('You can call me Al', 'My view is the U carried this farce out.')}</ul>`,
    )}</ol>`;
    const clean = cleanHtml({ html: page({ around: list }), url: null }, rules);
    expect(clean.comments).toEqual([
      {
        author: 'frances',
        text: 'agree this event was part of a larger game plan.',
        depth: 0,
        spam: false,
      },
      {
        author: 'You can call me Al',
        text: 'My view is the U carried this farce out.',
        depth: 1,
        spam: false,
      },
    ]);
    expect(clean.publishedAt).toBeNull();
  });

  it('flags money offers, repeated symbols and link farms as spam, and only those', () => {
    const spam = (text: string, links = 0): string | null => spamRule(text, links, rules.spam);
    expect(spam('Google is paying 97$ per hour,with weekly payouts.')).not.toBeNull();
    expect(spam('I make $85 an hour working from my home.')).not.toBeNull();
    expect(spam('Visit ★✫★★✫★✫★★✫★✫ now')).not.toBeNull();
    expect(spam('Five stars ★★★★★, love it ❤❤❤')).toBeNull();
    expect(spam('Great article, see the sources', 5)).toBe('spam:links');
    expect(spam('Hahaha. More russians donate to SouthFront than I thought.')).toBeNull();
    expect(spam('The fighters were paid 50$ a month by the sponsors, a source said.')).toBeNull();
    expect(spam('Saudi Arabia paid $10 billion to the rebels, and got nothing.')).toBeNull();
    expect(spam('Markets data: https://www.moneycontrol.com/news/jobs-report')).toBeNull();
    expect(
      spam('On tuesday I got a brand new car from having earned $11752 this last four weeks'),
    ).toBe('spam:earnings');
  });
});

describe('site profiles', () => {
  it('match the host and its subdomains only', () => {
    const site = compileSiteProfile({
      name: 'zaman',
      hosts: ['zamanalwsl.net'],
      keep: [],
      drop: [],
      dropLines: [],
    });
    expect(matchSiteProfile([site], 'https://en.zamanalwsl.net/news/1')?.name).toBe('zaman');
    expect(matchSiteProfile([site], 'https://notzamanalwsl.net/news/1')).toBeNull();
    expect(matchSiteProfile([site], null)).toBeNull();
  });

  it('keep and drop selectors decide what general rules cannot, reported as site:<name>', () => {
    const site = compileSiteProfile({
      name: 'levant',
      hosts: ['levant.example'],
      keep: ['article'],
      drop: ['.standfirst'],
      dropLines: ['^Levant Monitor exclusive$'],
    });
    const html = page({
      article: '<p class="standfirst">Short standfirst.</p><p>Levant Monitor exclusive</p>',
    });
    const clean = cleanHtml(
      { html, url: 'https://www.levant.example/a' },
      { ...rules, sites: [site] },
    );
    expect(clean.body).toBe(PROSE.join('\n\n'));
    expect(plain(clean.removed)).toContainEqual({ rule: 'site:levant', text: 'Short standfirst.' });
    expect(plain(clean.removed)).toContainEqual({
      rule: 'site:levant',
      text: 'Levant Monitor exclusive',
    });
  });
});

describe('compiled selectors', () => {
  it('match class, id, tag and attribute selectors alike', () => {
    const html =
      '<div class="a"><span id="b">1</span><marquee>2</marquee><p data-x="y.z">3</p><p>4</p></div>';
    const document = parseDocument(html);
    const test = compileSelector('.a > #b, marquee, [data-x="y.z"], #missing');
    const matched = DomUtils.findAll(test, document.children).map((e) => DomUtils.textContent(e));
    expect(matched).toEqual(['1', '2', '3']);
  });

  it('take every element cheerio matches, whatever names the selectors require', () => {
    const html = `<div class="Outer wrap" id="Main">
      <ul class="comment-list"><li class="comment odd" id="c1">x</li><li class="pingback">y</li></ul>
      <p class="caption  note">a</p><p class="x caption">b</p><p class="captions">c</p>
      <span class="a b">d</span><span class="b">e</span><em id="ID-9">f</em><b class="tag">g</b>
      <i class="skip">h</i><i class="caption skip">i</i></div>`;
    const $ = load(html);
    const selectors = [
      '.comment-list > li.comment, #c1, .pingback',
      'p.caption, .captions, #ID-9, div#Main .b',
      '.a.b, .Outer, #Main',
      'i:not(.skip), .tag:first-child, .b',
      'span[class~="b"], .caption:not(i)',
    ];
    for (const selector of selectors) {
      const test = compileSelector(selector);
      const ours = $('*')
        .toArray()
        .filter((element) => element.type === 'tag' && test(element));
      expect(ours, selector).toEqual($(selector).toArray());
    }
  });
});

describe('rule patterns', () => {
  it('give the first pattern that matches, as trying them one by one does', () => {
    const patterns = [
      { rule: 'anchored', regex: /^share this$/i },
      { rule: 'unicode', regex: /^\p{Lu}{3,}$/u },
      { rule: 'anywhere', regex: /sponsored/i },
      { rule: 'backref', regex: /(ab)\1/i },
    ];
    const texts = ['Share this', 'NEWS', 'News', 'a sponsored post', 'abab', 'share this now', ''];
    for (const text of texts) {
      expect(firstMatch(patterns, text), text).toBe(patterns.find(({ regex }) => regex.test(text)));
      expect(firstMatch(patterns.slice(0, 3), text), text).toBe(
        patterns.slice(0, 3).find(({ regex }) => regex.test(text)),
      );
    }
  });
});
