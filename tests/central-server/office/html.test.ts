import { describe, expect, it } from 'vitest';
import { html, raw } from '../../../central-server/office/web/html.ts';

describe('the html template', () => {
  it('escapes every interpolation, in text and in attributes', () => {
    const name = `<script>alert("x")</script>' onmouseover='x`;
    expect(html`<p title="${name}">${name}</p>`.text).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;x">' +
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;x</p>',
    );
  });

  it('keeps SafeHtml as it is, joins arrays and leaves out null, undefined and false', () => {
    const items = ['a&b', 'c'].map((x) => html`<li>${x}</li>`);
    // prettier-ignore
    const list = html`<ul>${items}</ul>${null}${undefined}${false}${raw('<hr>')}${0}`;
    expect(list.text).toBe('<ul><li>a&amp;b</li><li>c</li></ul><hr>0');
  });

  it('does not take a look-alike object for safe markup', () => {
    const forged = { text: '<b>' } as unknown as string;
    expect(html`${forged}`.text).toBe('[object Object]');
  });
});
