/**
 * The German message catalogue: the source of every text the kit shows. Written for a poll
 * worker after twelve hours in a school gym: short sentences, what happened and what to do.
 * Placeholders in braces ({code}) are filled by `t()`. The English catalogue must have exactly
 * these keys (TypeScript checks it).
 */
export const de = {
  'app.title': 'Wahlkoffer',
  'app.language': 'Sprache',
  'app.switchTo': 'English',
  'app.switchToLang': 'en',
  'app.precinct': 'Stimmbezirk {number} – {name}',
  'app.busy': 'Bitte warten …',
  'app.errorCode': 'Fehlercode für das Wahlamt: {code}',
  'app.errorOk': 'Verstanden',

  'step.setup': 'Einrichten',
  'step.unlock': 'Entsperren',
  'step.session': 'Anmelden',
  'step.entry': 'Erfassen',
  'step.send': 'Senden',

  'setup.heading': 'Wahlkoffer einrichten',
  'setup.intro':
    'Die Einrichtungsdatei vom Wahlamt laden. Danach den Fingerabdruck aus dem Brief der Wahlvorsteherin / des Wahlvorstehers eingeben: So ist sicher, dass die Datei echt ist.',
  'setup.file': 'Einrichtungsdatei',
  'setup.noFile': 'Keine Einrichtungsdatei gefunden. Bitte den USB-Stick vom Wahlamt einstecken.',
  'setup.fingerprint': 'Fingerabdruck aus dem Brief (64 Zeichen, Leerzeichen egal)',
  'setup.fingerprintHint':
    'Steht im Brief unter „Fingerabdruck des Wahlamts“. Beispiel: 4F2A 91C3 …',
  'setup.submit': 'Datei prüfen und einrichten',

  'unlock.heading': 'Wahlkoffer entsperren',
  'unlock.intro':
    'Die Passphrase steht im versiegelten Brief (fünf Wörter). Sie entsperrt den Schlüssel dieses Stimmbezirks; sie wird nirgends gespeichert.',
  'unlock.passphrase': 'Passphrase',
  'unlock.submit': 'Entsperren',
  'unlock.wait': 'Nächster Versuch in {seconds} Sekunden möglich.',

  'session.heading': 'Beim Wahlamt anmelden',
  'session.intro':
    'Die Wahlvorsteherin / der Wahlvorsteher liest den sechsstelligen Code aus der Code-App ab (eingerichtet mit dem QR-Code aus dem Brief). Die Anmeldung gilt den ganzen Wahltag.',
  'session.code': 'Code aus der Code-App (6 Ziffern)',
  'session.submit': 'Anmelden',
  'session.validUntil': 'Angemeldet bis {time}',

  'who.headingFirst': 'Wer gibt die Zahlen ein? (erste Eingabe)',
  'who.headingSecond': 'Zweite Eingabe: eine andere Person',
  'who.introFirst':
    'Zwei Personen aus dem Wahlvorstand geben die Zahlen der Schnellmeldung nacheinander ein. Die zweite Person sieht die erste Eingabe nicht.',
  'who.introSecond':
    'Die erste Eingabe ist fertig. Jetzt gibt eine andere Person die Zahlen noch einmal vom Zählblatt ein, ohne die erste Eingabe zu sehen.',
  'who.name': 'Vor- und Nachname',
  'who.role': 'Funktion im Wahlvorstand',
  'who.submit': 'Eingabe beginnen',
  'who.reopen': 'Erste Eingabe noch einmal öffnen',
  'role.WAHLVORSTEHER': 'Wahlvorsteher/in',
  'role.STELLV_WAHLVORSTEHER': 'Stellv. Wahlvorsteher/in',
  'role.SCHRIFTFUEHRER': 'Schriftführer/in',
  'role.BEISITZER': 'Beisitzer/in',

  'entry.headingFirst': 'Erste Eingabe: {name}',
  'entry.headingSecond': 'Zweite Eingabe: {name}',
  'entry.headingCorrection': 'Korrektur (Revision {revision}): {name}',
  'entry.introSecond':
    'Die erste Eingabe bleibt verborgen. Bitte jede Zahl selbst vom Zählblatt abschreiben. Mit der Eingabetaste geht es zum nächsten Feld.',
  'entry.intro':
    'Zahlen vom Zählblatt abschreiben. Mit der Eingabetaste geht es zum nächsten Feld, in der Reihenfolge des Formulars.',
  'entry.sectionRegister': 'Wahlberechtigte (A)',
  'entry.sectionVoters': 'Wähler (B)',
  'entry.sectionVotes': 'Stimmen',
  'entry.sectionFirstVotes': 'Erststimmen',
  'entry.sectionSecondVotes': 'Zweitstimmen',
  'step.of': 'Schritt {step} von 4',
  'step.correction': 'Korrektur, Revision {revision}',
  'entry.finish': 'Eingabe abschließen',
  'entry.discard': 'Alles verwerfen und neu beginnen',
  'entry.discardConfirm': 'Wirklich alle Eingaben dieser Runde verwerfen?',
  'entry.prefilled':
    'A1, A2 und A3 sind aus dem Wählerverzeichnis vorbelegt. Bitte mit der Abschlussbescheinigung vergleichen.',
  'entry.allGood': 'Alle Zahlen passen zusammen.',

  'findings.errors': 'Das muss korrigiert werden',
  'findings.warnings': 'Bitte prüfen',
  'findings.reasonLater':
    'Stimmt die Zahl, wird die Begründung nach der zweiten Eingabe geschrieben.',
  'findings.field': 'Feld',
  'findings.error': 'Fehler',
  'findings.warning': 'Hinweis',

  'differ.heading': 'Die beiden Eingaben weichen ab',
  'differ.intro':
    'Bitte gemeinsam auf das Zählblatt schauen und für jedes Feld entscheiden, welche Zahl stimmt – oder die Zahl neu eingeben.',
  'differ.field': 'Feld',
  'differ.first': '1. Eingabe ({name})',
  'differ.second': '2. Eingabe ({name})',
  'differ.decision': 'Entscheidung',
  'differ.keepFirst': '{value} übernehmen (1.)',
  'differ.keepSecond': '{value} übernehmen (2.)',
  'differ.again': 'Neu eingeben',
  'differ.againLabel': 'Neue Zahl für {field}',
  'differ.settled': 'geklärt: {value}',
  'differ.open': 'offen',
  'differ.finish': 'Abweichungen übernehmen',

  'review.heading': 'Prüfen und unterschreiben',
  'review.intro':
    'Beide Eingaben stimmen überein. Bitte die Zahlen noch einmal mit der Niederschrift vergleichen.',
  'review.warningsIntro':
    'Zu jedem Hinweis eine kurze Begründung schreiben (3 bis 500 Zeichen), z. B. „nachgezählt, stimmt“.',
  'review.reason': 'Begründung zu {code}',
  'review.saveReason': 'Begründung speichern',
  'review.reasonSaved': 'Begründung gespeichert',
  'review.enteredBy': 'Eingegeben von {first} und {second}',
  'review.sign': 'Unterschreiben und senden',
  'review.signHint':
    'Beide Personen prüfen die Zahlen gemeinsam. Mit dem Unterschreiben wird die Meldung versiegelt und an das Wahlamt gesendet.',

  'sent.heading': 'Schnellmeldung versiegelt',
  'sent.headingConfirmed': 'Schnellmeldung ist beim Wahlamt angekommen',
  'sent.headingRefused': 'Das Wahlamt hat die Schnellmeldung abgelehnt',
  'sent.fingerprint': 'Fingerabdruck der Meldung',
  'sent.revision': 'Revision {revision}',
  'sent.waiting':
    'Die Meldung liegt sicher im Postausgang. Sobald das Netz da ist, sendet der Wahlkoffer sie selbständig.',
  'sent.confirmedIntro':
    'Das Wahlamt hat die Meldung erhalten. Bitte diesen Code am Telefon vorlesen:',
  'sent.receiptCode': 'Empfangscode',
  'sent.sendNow': 'Jetzt erneut senden',
  'sent.print': 'Papierbeleg drucken',
  'sent.correction': 'Korrektur melden',
  'sent.correctionReason': 'Warum war die gesendete Meldung falsch? (3 bis 500 Zeichen)',
  'sent.correctionStart': 'Korrektur beginnen',

  'outbox.label': 'Postausgang',
  'outbox.empty': 'noch nichts gesendet',
  'outbox.WAITING': 'wartet auf Netz',
  'outbox.SENDING': 'wird gesendet',
  'outbox.CONFIRMED': 'bestätigt – Code {code}',
  'outbox.REFUSED': 'abgelehnt: {reason}',
  'outbox.attempts': 'Versuche bisher: {count}',

  'paper.title': 'Schnellmeldung',
  'paper.subtitle': 'nach § 71 BWO (Anlage 28) – Papierbeleg des Wahlkoffers',
  'paper.election': 'Wahl',
  'paper.contest': 'Wahl auf dem Stimmzettel',
  'paper.precinct': 'Stimmbezirk',
  'paper.kind.URNE': 'Urnenwahlbezirk',
  'paper.kind.BRIEF': 'Briefwahlbezirk',
  'paper.revision': 'Revision',
  'paper.correctionReason': 'Grund der Korrektur',
  'paper.key': 'Kennbuchstabe',
  'paper.label': 'Bezeichnung',
  'paper.count': 'Anzahl',
  'paper.acknowledgements': 'Begründete Hinweise',
  'paper.enteredBy': 'Eingegeben (Vier-Augen-Prinzip)',
  'paper.fingerprint': 'Fingerabdruck (SHA-256)',
  'paper.sealedAt': 'Versiegelt',
  'paper.receipt': 'Empfangscode des Wahlamts',
  'paper.receiptAt': 'Eingang beim Wahlamt',
  'paper.noReceipt': 'noch keine Empfangsbestätigung',
  'paper.signatures': 'Unterschriften',
  'paper.qr': 'QR-Code des Fingerabdrucks',
  'paper.back': 'Zurück',
  'paper.printed': 'Papierbeleg als PDF gespeichert: {file}',
  'paper.print': 'Drucken',
} as const;

export type MessageKey = keyof typeof de;
export type Catalogue = { readonly [K in MessageKey]: string };
