import type { Lang } from './format.ts';

/**
 * File names of the area pages, all at the top of the snapshot so every link is a plain file
 * name: the root area is index.html (German) and index.en.html (English), every other area
 * gebiet-<areaId>.html and gebiet-<areaId>.en.html.
 */
export function pageFile(areaId: string, rootAreaId: string, lang: Lang): string {
  const base = areaId === rootAreaId ? 'index' : `gebiet-${areaId}`;
  return lang === 'de' ? `${base}.html` : `${base}.en.html`;
}
