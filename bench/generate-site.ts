import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { type Insertable, Kysely, SqliteDialect } from 'kysely';
import { generateDemoImage } from '../src/demo/demo-images.js';
import { renderMarkdown } from '../src/domain/articles/markdown.js';
import { migrateToLatest, migrationNames } from '../src/storage/migrator.js';
import type { ArticleRevisionsTable, ArticlesTable, Database } from '../src/storage/schema.js';
import { buildDiscovery } from './discovery.js';

/** Bump when the generated content changes, so cached sites are made again. */
const generatorVersion = 6;

export const cacheFolder = new URL('./.cache/', import.meta.url).pathname;

/** What the harness needs to know about a generated site to aim requests at it. */
export interface SiteFacts {
  size: number;
  /** Folder holding `kiosque.sqlite` and `media/` (a KIOSQUE_DATA_DIR). */
  dataDir: string;
  file: string;
  generatedInMs: number | null;
  bytes: number;
}

/** A small deterministic PRNG (mulberry32): the same size always gives the same site. */
function prng(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const words = {
  fr: {
    subjects: [
      'La mairie',
      'Le gouvernement',
      'Les cheminots',
      'La région',
      'Les agriculteurs',
      'Le conseil municipal',
      'Les chercheurs',
      'La préfecture',
      'Les commerçants',
      'Le club local',
      'Les enseignants',
      'La médiathèque',
    ],
    verbs: [
      'annonce',
      'prépare',
      'repousse',
      'dévoile',
      'conteste',
      'relance',
      'finance',
      'défend',
      'lance',
      'examine',
    ],
    objects: [
      'un plan pour le vélo',
      'la rénovation du port',
      'un budget de transition',
      'la réouverture du marché',
      'un nouveau réseau de chaleur',
      'la réforme des horaires',
      'un festival de cinéma',
      'la piétonnisation du centre',
      'un programme de plantation',
      'la gratuité des transports',
    ],
    places: ['à Lyon', 'à Lille', 'en Bretagne', 'à Marseille', 'dans le Jura', 'à Nantes', 'en Alsace', 'à Toulouse'],
    sentences: [
      'Le projet, présenté mardi soir, doit entrer en vigueur au printemps prochain.',
      'Les habitants interrogés se disent partagés, entre enthousiasme et inquiétude sur les coûts.',
      'Selon les chiffres publiés par la collectivité, la dépense atteindrait plusieurs millions d’euros.',
      'L’opposition dénonce une décision prise « sans concertation suffisante ».',
      'Les associations saluent une avancée, tout en demandant un calendrier précis.',
      'Une réunion publique est prévue la semaine prochaine à la salle des fêtes.',
      'Le dossier avait été suspendu l’an dernier faute de financement.',
      'Plusieurs experts rappellent que des villes voisines ont déjà mené des expériences comparables.',
      'La décision finale reviendra au conseil, qui se réunira à la fin du mois.',
      'Les premiers travaux pourraient commencer dès l’automne, selon le calendrier annoncé.',
      'Des syndicats ont déposé un préavis pour demander des garanties sur l’emploi.',
      'Le rapport d’étape sera rendu public et mis en ligne sur le site de la collectivité.',
    ],
    headings: ['Ce qui change', 'Les réactions', 'Le calendrier', 'Combien ça coûte', 'Et ailleurs'],
    sections: ['Monde', 'France', 'Économie', 'Culture', 'Sport', 'Sciences', 'Société', 'Environnement'],
    tagStems: [
      'transports',
      'budget',
      'climat',
      'élections',
      'santé',
      'école',
      'logement',
      'énergie',
      'culture',
      'vélo',
    ],
  },
  en: {
    subjects: [
      'The council',
      'The government',
      'Rail workers',
      'The region',
      'Farmers',
      'City hall',
      'Researchers',
      'The mayor',
      'Shopkeepers',
      'The local club',
      'Teachers',
      'The library',
    ],
    verbs: [
      'announces',
      'prepares',
      'delays',
      'unveils',
      'contests',
      'revives',
      'funds',
      'defends',
      'launches',
      'reviews',
    ],
    objects: [
      'a cycling plan',
      'the harbour renovation',
      'a transition budget',
      'the market reopening',
      'a new heat network',
      'the timetable reform',
      'a film festival',
      'a car-free centre',
      'a tree-planting scheme',
      'free public transport',
    ],
    places: [
      'in Leeds',
      'in Bristol',
      'in Wales',
      'in Glasgow',
      'in the Lakes',
      'in Norwich',
      'in Cornwall',
      'in York',
    ],
    sentences: [
      'The plan, presented on Tuesday evening, is due to take effect next spring.',
      'Residents we spoke to were divided, between enthusiasm and worry about the cost.',
      'According to figures published by the council, spending would reach several million pounds.',
      'The opposition called it a decision taken “without enough consultation”.',
      'Local groups welcomed the move while asking for a precise timetable.',
      'A public meeting is planned next week in the town hall.',
      'The project had been shelved last year for lack of funding.',
      'Several experts point out that neighbouring towns have already run similar trials.',
      'The final decision rests with the council, which meets at the end of the month.',
      'The first works could start as early as autumn, according to the announced timetable.',
      'Unions have given notice of a strike to seek guarantees on jobs.',
      'The interim report will be made public and posted on the council’s website.',
    ],
    headings: ['What changes', 'Reactions', 'The timetable', 'What it costs', 'Elsewhere'],
    sections: ['World', 'Nation', 'Business', 'Culture', 'Sport', 'Science', 'Society', 'Environment'],
    tagStems: [
      'transport',
      'budget',
      'climate',
      'elections',
      'health',
      'schools',
      'housing',
      'energy',
      'arts',
      'cycling',
    ],
  },
} as const;

type Language = keyof typeof words;
const languages: Language[] = ['fr', 'en'];

/** Originals drawn once and shared: many image rows point at the same few files, as the brief allows. */
const originalCount = 12;

const syllables = ['ka', 'lo', 'mi', 'ra', 'ne', 'tu', 'sa', 'vi', 'po', 'de', 'ba', 'ri', 'no', 'zu', 'fe', 'ga'];
/** A pronounceable made-up word per index: 16⁴ of them, none a real word of either language. */
function vocabularyWord(index: number): string {
  let word = '';
  for (let n = index + 16 ** 2, i = 0; i < 4 && n > 0; i++, n = Math.floor(n / 16)) word += syllables[n % 16];
  return word;
}
const vocabularySize = 20_000;

/** Distinct words of the generated stories' vocabulary, the most common first (what search load asks for). */
export function vocabularyWords(count: number): string[] {
  return Array.from({ length: Math.min(count, vocabularySize) }, (_, index) => vocabularyWord(index));
}

/** Four topic words: two from the story's neighbourhood (its pair and the next), two from anywhere, Zipf-like. */
function topicParagraph(language: Language, pair: number, rand: () => number): string {
  const neighbourhood = Math.floor(pair / 2);
  const local = [
    vocabularyWord((neighbourhood * 7919) % vocabularySize),
    vocabularyWord((neighbourhood * 104_729 + 13) % vocabularySize),
  ];
  const anywhere = Array.from({ length: 2 }, () => vocabularyWord(Math.floor(rand() ** 3 * vocabularySize)));
  const [a, b, c, d] = [...local, ...anywhere];
  return language === 'fr'
    ? `Le dossier ${a} rejoint celui de ${b}, tandis que ${c} et ${d} restent en suspens.`
    : `The ${a} file joins the ${b} case, while ${c} and ${d} remain open.`;
}

function pick<T>(list: readonly T[], rand: () => number): T {
  return list[Math.floor(rand() * list.length)]!;
}

function slugOf(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Paragraph pools rendered once each: rendering 100,000 bodies through markdown-it would dominate generation. */
function paragraphPools(rand: () => number) {
  const pools = {} as Record<Language, { markdown: string; html: string }[]>;
  for (const language of languages) {
    const pool: { markdown: string; html: string }[] = [];
    for (let i = 0; i < 80; i++) {
      const count = 3 + Math.floor(rand() * 3);
      let text = Array.from({ length: count }, () => pick(words[language].sentences, rand)).join(' ');
      if (i % 7 === 0) text = `**${text.slice(0, 40).trim()}** ${text.slice(40)}`;
      const markdown = i % 11 === 0 ? `## ${pick(words[language].headings, rand)}` : text;
      pool.push({ markdown, html: renderMarkdown(markdown) });
    }
    pools[language] = pool;
  }
  return pools;
}

function cacheKey(size: number): string {
  const hash = createHash('sha1')
    .update(`${generatorVersion}:${migrationNames().join(',')}`)
    .digest('hex')
    .slice(0, 8);
  return `site-${size}-${hash}`;
}

/** The generated site of `size` articles, made once and kept in bench/.cache/. */
export async function ensureSite(size: number, log: (line: string) => void = () => {}): Promise<SiteFacts> {
  const dataDir = path.join(cacheFolder, cacheKey(size));
  const file = path.join(dataDir, 'kiosque.sqlite');
  if (existsSync(file)) {
    return { size, dataDir, file, generatedInMs: null, bytes: statSync(file).size };
  }
  log(`generating a site of ${size.toLocaleString('en')} articles…`);
  const started = performance.now();
  rmSync(`${dataDir}.tmp`, { recursive: true, force: true });
  mkdirSync(path.join(`${dataDir}.tmp`, 'media', 'originals'), { recursive: true });
  await generate(size, `${dataDir}.tmp`, log);
  renameSync(`${dataDir}.tmp`, dataDir);
  const generatedInMs = performance.now() - started;
  const bytes = statSync(file).size;
  log(`  generated in ${(generatedInMs / 1000).toFixed(1)} s (${(bytes / 1e6).toFixed(0)} MB)`);
  return { size, dataDir, file, generatedInMs, bytes };
}

async function generate(size: number, dataDir: string, log: (line: string) => void): Promise<void> {
  const sqlite = new SqliteDatabase(path.join(dataDir, 'kiosque.sqlite'));
  // A throwaway file being filled: durability buys nothing here, speed does.
  sqlite.pragma('journal_mode = OFF');
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('page_size = 4096');
  // As the product's connection does (storage/database.ts): statistics from a sample of each index.
  sqlite.pragma('analysis_limit = 400');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrateToLatest(db, 'sqlite');
  await fillSite(db, size, path.join(dataDir, 'media'));
  const discovery = await buildDiscovery(db, log);
  writeFileSync(path.join(dataDir, 'discovery.json'), JSON.stringify(discovery));
  await db.destroy();

  // Served as the product opens it: WAL, so a reader never waits on a writer.
  const reopened = new SqliteDatabase(path.join(dataDir, 'kiosque.sqlite'));
  reopened.pragma('journal_mode = WAL');
  reopened.close();
}

/**
 * Fills a migrated, empty database (SQLite or PostgreSQL: only Kysely is used) with a site of
 * `size` articles, and writes the few original images into `mediaDir`.
 */
export async function fillSite(db: Kysely<Database>, size: number, mediaDir: string): Promise<void> {
  const rand = prng(size);
  mkdirSync(path.join(mediaDir, 'originals'), { recursive: true });
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const created = iso(now - 6 * 365 * 86_400_000);

  // Originals: a few real JPEG files, many image rows (as a newsroom's library would have).
  const originals: string[] = [];
  for (let i = 0; i < originalCount; i++) {
    const key = `originals/bench-${i}.jpg`;
    writeFileSync(path.join(mediaDir, key), await generateDemoImage(`bench-${i}`, (i * 31) % 360));
    originals.push(key);
  }
  const imageCount = Math.max(originalCount, Math.round(size / 4));
  const imageIds = Array.from({ length: imageCount }, (_, i) => `img_bench${String(i).padStart(7, '0')}`);

  const authorCount = Math.max(20, Math.round(size / 400));
  const firstNames = ['Camille', 'Jordan', 'Alex', 'Sam', 'Noa', 'Lou', 'Morgan', 'Charlie', 'Eden', 'Sacha'];
  const lastNames = ['Martin', 'Bernard', 'Dubois', 'Moreau', 'Laurent', 'Garcia', 'Roux', 'Fournier', 'Girard'];
  const authors = Array.from({ length: authorCount }, (_, i) => {
    const name = `${firstNames[i % firstNames.length]} ${lastNames[Math.floor(i / firstNames.length) % lastNames.length]} ${i}`;
    return { id: `aut_bench${String(i).padStart(5, '0')}`, slug: slugOf(name), name, bio: '', created_at: created };
  });

  const tagCount = Math.max(40, Math.round(size / 40));
  const sections = new Map<Language, { id: string; language: string; slug: string; name: string }[]>();
  const tags = new Map<Language, { id: string; language: string; slug: string; name: string }[]>();
  for (const language of languages) {
    sections.set(
      language,
      words[language].sections.map((name, i) => ({ id: `sec_${language}${i}`, language, slug: slugOf(name), name })),
    );
    tags.set(
      language,
      Array.from({ length: tagCount }, (_, i) => {
        const stem = words[language].tagStems[i % words[language].tagStems.length]!;
        const name = i < words[language].tagStems.length ? stem : `${stem} ${Math.floor(i / 10)}`;
        return { id: `tag_${language}${String(i).padStart(5, '0')}`, language, slug: slugOf(name), name };
      }),
    );
  }

  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < authors.length; i += 1000)
      await trx
        .insertInto('authors')
        .values(authors.slice(i, i + 1000))
        .execute();
    for (const language of languages) {
      await trx.insertInto('sections').values(sections.get(language)!).execute();
      const list = tags.get(language)!;
      for (let i = 0; i < list.length; i += 1000)
        await trx
          .insertInto('tags')
          .values(list.slice(i, i + 1000))
          .execute();
    }
    for (let i = 0; i < imageIds.length; i += 1000) {
      await trx
        .insertInto('images')
        .values(
          imageIds.slice(i, i + 1000).map((id, j) => ({
            id,
            original_key: originals[(i + j) % originals.length]!,
            mime: 'image/jpeg',
            width: 1600,
            height: 900,
            bytes: 150_000,
            alt: 'Illustration abstraite générée',
            caption: '',
            credit: 'Kiosque (image générée)',
            created_at: created,
          })),
        )
        .execute();
    }
  });

  const pools = paragraphPools(rand);
  const batch = 500;
  let articles: Insertable<ArticlesTable>[] = [];
  let revisions: Insertable<ArticleRevisionsTable>[] = [];
  let articleAuthors: { article_id: string; author_id: string; position: number }[] = [];
  let articleTags: { article_id: string; tag_id: string; position: number }[] = [];
  // Stored "You might also enjoy" lists, as the related service leaves them: four stories sharing a tag.
  let relatedRows: { article_id: string; related_id: string; position: number; score: number }[] = [];
  const recentByTag = new Map<string, string[]>();
  let articleImages: {
    article_id: string;
    image_id: string;
    role: 'hero' | 'gallery';
    position: number;
    alt: string;
    caption: string;
    credit: string;
  }[] = [];

  async function flush() {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('articles').values(articles).execute();
      for (let i = 0; i < revisions.length; i += 1000)
        await trx
          .insertInto('article_revisions')
          .values(revisions.slice(i, i + 1000))
          .execute();
      for (let i = 0; i < articleAuthors.length; i += 2000)
        await trx
          .insertInto('article_authors')
          .values(articleAuthors.slice(i, i + 2000))
          .execute();
      for (let i = 0; i < articleTags.length; i += 2000)
        await trx
          .insertInto('article_tags')
          .values(articleTags.slice(i, i + 2000))
          .execute();
      for (let i = 0; i < articleImages.length; i += 1000)
        await trx
          .insertInto('article_images')
          .values(articleImages.slice(i, i + 1000))
          .execute();
      for (let i = 0; i < relatedRows.length; i += 2000)
        await trx
          .insertInto('related_articles')
          .values(relatedRows.slice(i, i + 2000))
          .execute();
    });
    relatedRows = [];
    articles = [];
    revisions = [];
    articleAuthors = [];
    articleTags = [];
    articleImages = [];
  }

  // Article i: even i in French, odd in English; most pairs are translations of each other.
  // Publication times go back an hour per pair from now, so the newest stories are at the top.
  const hour = 3_600_000;
  for (let i = 0; i < size; i++) {
    const language = languages[i % 2]!;
    const pair = Math.floor(i / 2);
    const w = words[language];
    const id = `art_bench${String(i).padStart(7, '0')}`;
    const translated = pair % 5 !== 0;
    const translationGroup = translated ? `grp_bench${pair}` : `grp_bench${pair}${language}`;
    const headline = `${pick(w.subjects, rand)} ${pick(w.verbs, rand)} ${pick(w.objects, rand)} ${pick(w.places, rand)}`;
    const slug = `${slugOf(headline)}-${pair}`;
    const standfirst = `${pick(w.sentences, rand)} ${pick(w.sentences, rand)}`;
    const paragraphs = Array.from({ length: 6 + Math.floor(rand() * 4) }, () => pick(pools[language], rand));
    // What makes stories tell apart, as names and places do in real news: a few words of a large
    // vocabulary, skewed (some recur across thousands of stories, most in a handful), shared by
    // the two stories of a translation pair's neighbourhood. Without them every story would hold
    // the same hundred words, which no newsroom's archive does.
    const topic = topicParagraph(language, pair, rand);
    const bodyMarkdown = [...paragraphs.map((p) => p.markdown), topic].join('\n\n');
    const bodyHtml = paragraphs.map((p) => p.html).join('') + renderMarkdown(topic);
    // One in a hundred is a draft, one in two hundred was deleted: lists must skip them.
    const status = i % 100 === 37 ? 'draft' : 'published';
    const publishedMs = now - (pair + 1) * hour - (language === 'en' ? 600_000 : 0);
    const edited = i % 3 === 0;
    const updatedMs = edited ? publishedMs + 2 * hour : publishedMs;
    const sectionList = sections.get(language)!;
    const section = sectionList[Math.floor(rand() ** 2 * sectionList.length)]!;
    // Tags follow a skewed law: a few (elections, climate) are on many stories, most on few.
    const tagList = tags.get(language)!;
    const tagIds = [...new Set(Array.from({ length: 3 }, () => tagList[Math.floor(rand() ** 3 * tagList.length)]!.id))];
    const authorIds = [
      ...new Set(Array.from({ length: rand() < 0.2 ? 2 : 1 }, () => authors[Math.floor(rand() * authorCount)]!.id)),
    ];
    const hero =
      rand() < 0.9
        ? {
            imageId: imageIds[Math.floor(rand() * imageCount)]!,
            alt: language === 'fr' ? 'Illustration abstraite générée' : 'Generated abstract illustration',
            caption: '',
            credit: 'Kiosque',
          }
        : null;
    const gallery =
      i % 10 === 3
        ? Array.from({ length: 4 }, () => ({
            imageId: imageIds[Math.floor(rand() * imageCount)]!,
            alt: language === 'fr' ? 'Illustration de galerie' : 'Gallery illustration',
            caption: '',
            credit: 'Kiosque',
          }))
        : [];
    const record = {
      id,
      translationGroup,
      language,
      slug,
      headline,
      standfirst,
      bodyMarkdown,
      bodyHtml,
      status,
      access: 'public',
      sectionId: section.id,
      tagIds,
      authorIds,
      hero,
      gallery,
      source: null,
      seoTitle: null,
      seoDescription: null,
      revision: edited ? 2 : 1,
      createdAt: iso(publishedMs),
      updatedAt: iso(updatedMs),
      publishedAt: status === 'published' ? iso(publishedMs) : null,
      scheduledAt: null,
      deletedAt: i % 200 === 71 ? iso(updatedMs) : null,
    };
    articles.push({
      id,
      translation_group: translationGroup,
      language,
      slug,
      headline,
      standfirst,
      body_markdown: bodyMarkdown,
      body_html: bodyHtml,
      status,
      access: 'public',
      section_id: section.id,
      source_name: null,
      source_url: null,
      seo_title: null,
      seo_description: null,
      revision: record.revision,
      created_at: record.createdAt,
      updated_at: record.updatedAt,
      published_at: record.publishedAt,
      scheduled_at: null,
      deleted_at: record.deletedAt,
    });
    // Every article has its creating revision; edited ones a second, as the article service writes them.
    revisions.push({
      article_id: id,
      revision: 1,
      saved_at: record.createdAt,
      saved_by: null,
      action: 'create',
      snapshot: JSON.stringify({ ...record, revision: 1, updatedAt: record.createdAt }),
    });
    if (edited) {
      revisions.push({
        article_id: id,
        revision: 2,
        saved_at: record.updatedAt,
        saved_by: null,
        action: 'edit',
        snapshot: JSON.stringify(record),
      });
    }
    authorIds.forEach((authorId, position) => {
      articleAuthors.push({ article_id: id, author_id: authorId, position });
    });
    tagIds.forEach((tagId, position) => {
      articleTags.push({ article_id: id, tag_id: tagId, position });
    });
    const related: string[] = [];
    for (const tagId of tagIds)
      for (const other of recentByTag.get(tagId) ?? [])
        if (related.length < 4 && !related.includes(other)) related.push(other);
    related.forEach((relatedId, position) => {
      relatedRows.push({ article_id: id, related_id: relatedId, position, score: 0.5 - position * 0.05 });
    });
    if (status === 'published' && record.deletedAt === null)
      for (const tagId of tagIds) recentByTag.set(tagId, [id, ...(recentByTag.get(tagId) ?? [])].slice(0, 6));
    if (hero)
      articleImages.push({
        article_id: id,
        image_id: hero.imageId,
        role: 'hero',
        position: 0,
        alt: hero.alt,
        caption: '',
        credit: hero.credit,
      });
    gallery.forEach((use, position) => {
      articleImages.push({
        article_id: id,
        image_id: use.imageId,
        role: 'gallery',
        position,
        alt: use.alt,
        caption: '',
        credit: use.credit,
      });
    });
    if (articles.length === batch) await flush();
  }

  // Drafts the publish → home measurement publishes; their headlines are unique on purpose.
  const fr = words.fr;
  for (let k = 0; k < 10; k++) {
    const id = `art_benchdraft${k}`;
    const headline = `Dépêche de dernière minute numéro ${k} ${pick(fr.places, rand)}`;
    const createdAt = iso(now);
    const bodyMarkdown = pools.fr
      .slice(0, 6)
      .map((p) => p.markdown)
      .join('\n\n');
    const bodyHtml = pools.fr
      .slice(0, 6)
      .map((p) => p.html)
      .join('');
    articles.push({
      id,
      translation_group: `grp_benchdraft${k}`,
      language: 'fr',
      slug: `depeche-de-derniere-minute-${k}`,
      headline,
      standfirst: pick(fr.sentences, rand),
      body_markdown: bodyMarkdown,
      body_html: bodyHtml,
      status: 'draft',
      access: 'public',
      section_id: sections.get('fr')![0]!.id,
      source_name: null,
      source_url: null,
      seo_title: null,
      seo_description: null,
      revision: 1,
      created_at: createdAt,
      updated_at: createdAt,
      published_at: null,
      scheduled_at: null,
      deleted_at: null,
    });
    const snapshot = {
      id,
      translationGroup: `grp_benchdraft${k}`,
      language: 'fr',
      slug: `depeche-de-derniere-minute-${k}`,
      headline,
      standfirst: '',
      bodyMarkdown,
      bodyHtml,
      status: 'draft',
      access: 'public',
      sectionId: sections.get('fr')![0]!.id,
      tagIds: [tags.get('fr')![0]!.id],
      authorIds: [authors[0]!.id],
      hero: null,
      gallery: [],
      source: null,
      seoTitle: null,
      seoDescription: null,
      revision: 1,
      createdAt,
      updatedAt: createdAt,
      publishedAt: null,
      scheduledAt: null,
      deletedAt: null,
    };
    revisions.push({
      article_id: id,
      revision: 1,
      saved_at: createdAt,
      saved_by: null,
      action: 'create',
      snapshot: JSON.stringify(snapshot),
    });
    articleAuthors.push({ article_id: id, author_id: authors[0]!.id, position: 0 });
    articleTags.push({ article_id: id, tag_id: tags.get('fr')![0]!.id, position: 0 });
  }
  await flush();
}

/** Paths the harness requests, read from the generated database. */
export function sitePaths(file: string) {
  const sqlite = new SqliteDatabase(file, { readonly: true });
  try {
    const published = sqlite
      .prepare(
        `select language, slug from articles where status = 'published' and deleted_at is null order by published_at desc`,
      )
      .all() as { language: string; slug: string }[];
    const articles = published.map((row) => `/${row.language}/${row.slug}`);
    // The hot article: a story a few hours old, the kind a spike lands on.
    const hot = published.find((row, index) => row.language === 'fr' && index >= 6)!;
    const popularTag = sqlite
      .prepare(
        `select tags.slug from tags join article_tags on article_tags.tag_id = tags.id where tags.language = 'fr' group by tags.id order by count(*) desc limit 1`,
      )
      .get() as { slug: string };
    const drafts = sqlite
      .prepare(`select id, headline from articles where id like 'art_benchdraft%' and status = 'draft' order by id`)
      .all() as { id: string; headline: string }[];
    return { articles, hot: `/${hot.language}/${hot.slug}`, tag: `/fr/tag/${popularTag.slug}`, drafts };
  } finally {
    sqlite.close();
  }
}
