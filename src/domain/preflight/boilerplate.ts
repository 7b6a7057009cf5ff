/**
 * The page furniture of news sites that a careless copy-and-paste or a naive extractor leaves in a
 * story's body: share rows, subscribe pitches, newsletter signups, "related" and "latest" lists,
 * gallery buttons, copyright footers. One entry per family, with its phrases in each language the
 * table knows. Phrases are written as a reader sees them; they are compared after `foldText`
 * (case, accents, punctuation and spaces folded), so "ABONNEZ-VOUS MAINTENANT" matches
 * "Abonnez-vous maintenant". See docs/decisions/0041-source-chrome-and-paragraph-language.md.
 */
export interface BoilerplateFamily {
  /** What the family is on the source page (shown to no one; for tests and the README). */
  family: string;
  /**
   * How many words may follow a phrase in the same sentence: "Follow us on" + "Twitter", "©" +
   * "2022 The Japan Times". Zero means the phrase must stand alone.
   */
  tail: number;
  phrases: Partial<Record<'en' | 'fr' | 'ar' | 'es' | 'de' | 'it' | 'pt' | 'nl', string[]>>;
}

export const boilerplateFamilies: BoilerplateFamily[] = [
  {
    family: 'share row',
    tail: 0,
    phrases: {
      en: [
        'Share',
        'Share post',
        'Share this',
        'Share this article',
        'Share this story',
        'Share on Facebook',
        'Share on X',
        'Tweet',
        'Email this',
        'Copy link',
        'Print',
      ],
      fr: [
        'Partager',
        'Partager cet article',
        'Partager sur Facebook',
        'Partager sur X',
        'Copier le lien',
        'Imprimer',
        'Envoyer par e-mail',
      ],
      ar: ['شارك', 'شارك المقال', 'شارك هذا المقال', 'مشاركة', 'انسخ الرابط', 'طباعة'],
      es: ['Compartir', 'Compartir este artículo', 'Comparte esta noticia', 'Copiar enlace', 'Imprimir'],
      de: ['Teilen', 'Artikel teilen', 'Diesen Artikel teilen', 'Link kopieren', 'Drucken'],
      it: ['Condividi', "Condividi l'articolo", 'Condividi questo articolo', 'Copia link', 'Stampa'],
      pt: ['Compartilhar', 'Partilhar', 'Compartilhe esta notícia', 'Partilhar este artigo', 'Copiar link', 'Imprimir'],
      nl: ['Delen', 'Deel dit artikel', 'Link kopiëren'],
    },
  },
  {
    family: 'subscribe call-to-action',
    tail: 0,
    phrases: {
      en: [
        'Subscribe',
        'Subscribe now',
        'Subscribe today',
        'Become a subscriber',
        'Support our journalism',
        'Already a subscriber? Log in',
        'By subscribing, you can help us get the story right',
        'In a time of both misinformation and too much information, quality journalism is more crucial than ever',
      ],
      fr: [
        'Abonnez-vous',
        'Abonnez-vous maintenant',
        "Je m'abonne",
        'Déjà abonné ? Connectez-vous',
        'Soutenez notre journalisme',
        "En vous abonnant, vous pouvez nous aider à bien raconter l'histoire",
        "À une époque à la fois de désinformation et de trop d'informations, un journalisme de qualité est plus crucial que jamais",
        'Cet article est réservé aux abonnés',
      ],
      ar: ['اشترك', 'اشترك الآن', 'اشترك الان', 'ادعم صحافتنا'],
      es: ['Suscríbete', 'Suscríbete ahora', 'Suscríbase', 'Hazte suscriptor', 'Apoya nuestro periodismo'],
      de: [
        'Jetzt abonnieren',
        'Abonnieren',
        'Jetzt abonnieren und weiterlesen',
        'Unterstützen Sie unseren Journalismus',
      ],
      it: ['Abbonati', 'Abbonati ora', 'Sostieni il nostro giornalismo'],
      pt: ['Assine', 'Assine já', 'Assine agora', 'Assina já', 'Apoie o nosso jornalismo'],
      nl: ['Abonneer nu', 'Word abonnee'],
    },
  },
  {
    family: 'newsletter signup and follow links',
    tail: 3,
    phrases: {
      en: [
        'Stay connected',
        'Sign up for our newsletter',
        'Subscribe to our newsletter',
        'Get our newsletter',
        'Newsletter',
        'Follow us',
        'Follow us on',
        'Like us on Facebook',
        'Join us on',
      ],
      fr: [
        'Restez connecté',
        'Restez connectés',
        'Inscrivez-vous à notre newsletter',
        'Inscrivez-vous à notre lettre d’information',
        'Abonnez-vous à notre newsletter',
        'Suivez-nous',
        'Suivez-nous sur',
        'Recevez notre newsletter',
      ],
      ar: [
        'ابق على اتصال',
        'ابقوا على اتصال',
        'اشترك في نشرتنا البريدية',
        'النشرة البريدية',
        'تابعنا',
        'تابعونا',
        'تابعنا على',
        'تابعونا على',
      ],
      es: [
        'Mantente conectado',
        'Suscríbete a nuestro boletín',
        'Recibe nuestro boletín',
        'Boletín',
        'Síguenos',
        'Síguenos en',
      ],
      de: [
        'Bleiben Sie informiert',
        'Bleiben Sie in Verbindung',
        'Newsletter abonnieren',
        'Melden Sie sich für unseren Newsletter an',
        'Folgen Sie uns',
        'Folgen Sie uns auf',
        'Folge uns auf',
      ],
      it: [
        'Resta connesso',
        'Resta aggiornato',
        'Iscriviti alla newsletter',
        'Iscriviti alla nostra newsletter',
        'Seguici',
        'Seguici su',
      ],
      pt: [
        'Fique conectado',
        'Fique ligado',
        'Assine nossa newsletter',
        'Subscreva a nossa newsletter',
        'Siga-nos',
        'Siga-nos no',
        'Siga-nos nas redes sociais',
      ],
      nl: ['Blijf op de hoogte', 'Schrijf je in voor onze nieuwsbrief', 'Volg ons', 'Volg ons op'],
    },
  },
  {
    family: 'related stories',
    tail: 0,
    phrases: {
      en: [
        'You might also enjoy',
        'You may also like',
        'You might also like',
        'Related',
        'Related articles',
        'Related stories',
        'Related content',
        'Read more',
        'Read also',
        'See also',
        'Recommended for you',
        'More on this story',
        'Trending now',
      ],
      fr: [
        'Vous aimerez aussi',
        'Vous aimerez peut-être aussi',
        'Vous pourriez aussi aimer',
        'À lire aussi',
        'Lire aussi',
        'Lire la suite',
        'En savoir plus',
        'Voir aussi',
        'Articles liés',
        'Sur le même sujet',
        'Nos recommandations',
      ],
      ar: [
        'قد يعجبك أيضا',
        'قد يهمك أيضا',
        'اقرأ أيضا',
        'اقرأ المزيد',
        'مقالات ذات صلة',
        'أخبار ذات صلة',
        'مواضيع ذات صلة',
      ],
      es: [
        'También te puede interesar',
        'Te puede interesar',
        'Lee también',
        'Leer más',
        'Noticias relacionadas',
        'Artículos relacionados',
        'Ver también',
      ],
      de: [
        'Das könnte Sie auch interessieren',
        'Auch interessant',
        'Lesen Sie auch',
        'Mehr zum Thema',
        'Weiterlesen',
        'Verwandte Artikel',
        'Mehr lesen',
      ],
      it: [
        'Potrebbe interessarti anche',
        'Ti potrebbe interessare',
        'Leggi anche',
        'Leggi di più',
        'Articoli correlati',
        'Vedi anche',
      ],
      pt: [
        'Você também pode gostar',
        'Também pode gostar',
        'Leia também',
        'Leia mais',
        'Saiba mais',
        'Notícias relacionadas',
        'Artigos relacionados',
        'Veja também',
      ],
      nl: ['Lees ook', 'Lees meer', 'Gerelateerde artikelen', 'Dit vind je misschien ook leuk'],
    },
  },
  {
    family: 'latest and most read lists',
    tail: 0,
    phrases: {
      en: [
        'More updates',
        'Latest news',
        'Latest',
        'Latest stories',
        'Most read',
        'Most popular',
        'Top stories',
        'Breaking news',
        'More news',
        'More stories',
      ],
      fr: [
        'Plus d’actualités',
        'Dernières actualités',
        'Dernières infos',
        'Dernières nouvelles',
        'Les plus lus',
        'Les plus lues',
        'Les plus populaires',
        'À la une',
        'Plus d’infos',
        'Toute l’actualité',
      ],
      ar: ['آخر الأخبار', 'أحدث الأخبار', 'الأكثر قراءة', 'المزيد من الأخبار', 'الأكثر مشاهدة'],
      es: ['Últimas noticias', 'Lo más leído', 'Más noticias', 'Lo último'],
      de: ['Neueste Nachrichten', 'Meistgelesen', 'Am meisten gelesen', 'Weitere Nachrichten', 'Aktuelle Nachrichten'],
      it: ['Ultime notizie', 'I più letti', 'Più letti', 'Altre notizie'],
      pt: ['Últimas notícias', 'Mais lidas', 'Mais lidos', 'Mais notícias'],
      nl: ['Laatste nieuws', 'Meest gelezen', 'Meer nieuws'],
    },
  },
  {
    family: 'gallery and media buttons',
    tail: 0,
    phrases: {
      en: [
        'Photo gallery',
        'View gallery',
        'Open gallery',
        'Click to enlarge',
        'Click here to enlarge',
        'Enlarge this image',
        'Watch the video',
        'Play video',
        'Listen to this article',
      ],
      fr: [
        'Galerie photo',
        'Galerie photos',
        'Voir la galerie',
        'Cliquez pour agrandir',
        'Agrandir l’image',
        'Voir la vidéo',
        'Regarder la vidéo',
        'Écouter cet article',
      ],
      ar: ['معرض الصور', 'شاهد الصور', 'انقر للتكبير', 'اضغط للتكبير', 'شاهد الفيديو'],
      es: ['Galería de fotos', 'Galería', 'Ver galería', 'Haz clic para ampliar', 'Ampliar imagen', 'Ver vídeo'],
      de: ['Bildergalerie', 'Fotogalerie', 'Galerie ansehen', 'Zum Vergrößern klicken', 'Video ansehen'],
      it: ['Galleria fotografica', 'Fotogallery', 'Guarda la gallery', 'Clicca per ingrandire', 'Guarda il video'],
      pt: ['Galeria de fotos', 'Ver galeria', 'Clique para ampliar', 'Veja o vídeo', 'Assista ao vídeo'],
      nl: ['Fotogalerij', 'Bekijk de galerij', 'Klik om te vergroten'],
    },
  },
  {
    family: 'click-here links',
    tail: 4,
    phrases: {
      en: ['Click here', 'Click here to', 'Tap here to'],
      fr: ['Cliquez ici', 'Cliquez ici pour'],
      ar: ['اضغط هنا', 'انقر هنا'],
      es: ['Haz clic aquí', 'Pulse aquí', 'Haga clic aquí para'],
      de: ['Hier klicken', 'Klicken Sie hier'],
      it: ['Clicca qui', 'Clicca qui per'],
      pt: ['Clique aqui', 'Clique aqui para'],
      nl: ['Klik hier'],
    },
  },
  {
    family: 'advertising, cookies and scripts',
    tail: 0,
    phrases: {
      en: [
        'Advertisement',
        'Sponsored',
        'Sponsored content',
        'Story continues below advertisement',
        'Cookie settings',
        'Manage cookies',
        'Accept cookies',
        'Please enable JavaScript',
        'Enable JavaScript',
        'This site requires JavaScript',
        'Skip to main content',
        'Skip to content',
        'Back to top',
      ],
      fr: [
        'Publicité',
        'Contenu sponsorisé',
        'Paramètres des cookies',
        'Gérer les cookies',
        'Accepter les cookies',
        'Activez JavaScript',
        'Veuillez activer JavaScript',
        'Aller au contenu principal',
        'Retour en haut',
      ],
      ar: ['إعلان', 'محتوى ممول', 'إعدادات ملفات تعريف الارتباط', 'يرجى تفعيل جافا سكريبت'],
      es: [
        'Publicidad',
        'Anuncio',
        'Contenido patrocinado',
        'Configuración de cookies',
        'Activa JavaScript',
        'Ir al contenido principal',
      ],
      de: ['Anzeige', 'Werbung', 'Cookie-Einstellungen', 'Bitte aktivieren Sie JavaScript', 'Zum Inhalt springen'],
      it: ['Pubblicità', 'Contenuto sponsorizzato', 'Impostazioni cookie', 'Attiva JavaScript', 'Vai al contenuto'],
      pt: [
        'Publicidade',
        'Conteúdo patrocinado',
        'Configurações de cookies',
        'Ative o JavaScript',
        'Ir para o conteúdo',
      ],
      nl: ['Advertentie', 'Cookie-instellingen', 'Schakel JavaScript in'],
    },
  },
  {
    family: 'comments',
    tail: 0,
    phrases: {
      en: ['Leave a comment', 'Comments', 'Post a comment', 'Show comments', 'Join the conversation'],
      fr: ['Laisser un commentaire', 'Laissez un commentaire', 'Commentaires', 'Réagir', 'Voir les commentaires'],
      ar: ['اترك تعليقا', 'التعليقات', 'أضف تعليقا'],
      es: ['Deja un comentario', 'Comentarios', 'Ver comentarios'],
      de: ['Kommentar schreiben', 'Kommentare', 'Kommentieren'],
      it: ['Lascia un commento', 'Commenti'],
      pt: ['Deixe um comentário', 'Comentários', 'Ver comentários'],
      nl: ['Laat een reactie achter', 'Reacties'],
    },
  },
  {
    family: 'copyright footer',
    tail: 8,
    phrases: {
      en: ['Copyright', 'All rights reserved'],
      fr: ['Tous droits réservés', 'Droits réservés', 'Reproduction interdite'],
      ar: ['جميع الحقوق محفوظة', 'حقوق النشر محفوظة'],
      es: ['Todos los derechos reservados', 'Derechos reservados'],
      de: ['Alle Rechte vorbehalten'],
      it: ['Tutti i diritti riservati', 'Riproduzione riservata'],
      pt: ['Todos os direitos reservados'],
      nl: ['Alle rechten voorbehouden'],
    },
  },
];

/**
 * Text as the table compares it: "©" spelt "copyright", accents and case dropped, every run of
 * punctuation and spaces one space. Arabic keeps its letters (tashkil and tatweel dropped).
 */
export function foldText(text: string): string {
  return text
    .replace(/©/g, ' copyright ')
    .normalize('NFKD')
    .replace(/[\p{Mn}\u0640]/gu, '')
    .toLowerCase()
    .replace(/[أإآ]/g, 'ا')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const maxChromeWords = 80;

interface Phrase {
  words: string[];
  tail: number;
}

// The phrases by their first word, longest first ("subscribe now" is tried before "subscribe").
const phrasesByFirstWord = new Map<string, Phrase[]>();
for (const family of boilerplateFamilies) {
  for (const list of Object.values(family.phrases)) {
    for (const phrase of list ?? []) {
      const words = foldText(phrase).split(' ');
      const entry = phrasesByFirstWord.get(words[0] as string) ?? [];
      entry.push({ words, tail: family.tail });
      phrasesByFirstWord.set(words[0] as string, entry);
    }
  }
}
for (const entry of phrasesByFirstWord.values()) entry.sort((a, b) => b.words.length - a.words.length);

/**
 * True when a sentence (or a run of words between separators) is made of table phrases only, each
 * followed by at most its family's tail of other words: "ABONNEZ-VOUS MAINTENANT GALERIE PHOTO
 * (CLIQUEZ POUR AGRANDIR)", "Follow us on Twitter", "© 2022 The Japan Times". A sentence that
 * merely contains a phrase ("readers who subscribe now get…") is not covered.
 */
export function isBoilerplate(segment: string): boolean {
  const words = foldText(segment).split(' ').filter(Boolean);
  // Chrome is short; a long sentence is text, and the bound keeps the search cheap on any input.
  if (words.length === 0 || words.length > maxChromeWords) return false;
  // Whether words[at…] is covered, once per position: the search stays linear, whatever the text.
  const known = new Map<number, boolean>();
  const coveredFrom = (at: number): boolean => {
    const seen = known.get(at);
    if (seen !== undefined) return seen;
    known.set(at, false);
    for (const phrase of phrasesByFirstWord.get(words[at] as string) ?? []) {
      if (!phrase.words.every((word, offset) => words[at + offset] === word)) continue;
      const end = at + phrase.words.length;
      for (let gap = 0; gap <= phrase.tail; gap++) {
        if (end + gap === words.length || (end + gap < words.length && coveredFrom(end + gap))) {
          known.set(at, true);
          return true;
        }
      }
    }
    return false;
  };
  // From the end backwards, so the memo is filled before it is needed and the stack stays flat.
  for (let at = words.length - 1; at > 0; at--) coveredFrom(at);
  return coveredFrom(0);
}
