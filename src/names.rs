//! Personal names: how a letter greets its contact, and every form of a name
//! a letter may print (which a public copy withholds together).
//!
//! How a letter greets its contact, by the conventions of British correspondence
//! (Debrett's, and the Church of England's and the judiciary's own guidance): "Ms E
//! Morrison" is "Ms Morrison", "Sir Keith Lee" is "Sir Keith", "Chief
//! Superintendent J Ferguson" is "Chief Superintendent Ferguson", "The Right
//! Reverend Jane Smith" is "Bishop", "The Data Protection Officer" is "Data
//! Protection Officer".
//!
//! The titles are a table here rather than template data: they are general
//! knowledge of English forms of address, the same for every office, and each
//! comes with a rule (which name it keeps, how it is said) that a plain list of
//! words could not carry. The greeting itself ("Dear ...", or "Dear Sir or Madam"
//! when no contact is named) is the templates' wording, and a case that needs
//! another form sets `salutation`.

/// Which of the contact's names a title is said with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// With the surname: "Ms Morrison", "Colonel Hughes", "Judge Patel".
    Surname,
    /// With the first name: "Sir Keith", "Dame Jane" (a knight or dame).
    GivenName,
    /// A peer or a peer's child: "Lord Smith" ("of Finsbury" dropped), but "Lady
    /// Jane" for "Lady Jane Smith", a duke's, marquess's or earl's daughter.
    Peer,
    /// Alone, without a name: "Bishop", "Archdeacon".
    Alone,
    /// Not said at all; the rest is read again: "The Reverend Dr Jane Smith" is
    /// "Dr Smith". A cleric is greeted by the social title ("Mrs Smith"), which
    /// the name alone does not give, so "The Reverend Jane Smith" is "Jane Smith".
    Dropped,
}

/// One title: the ways it is written (words separated by spaces, a final `.` on
/// each word optional), how the greeting says it, and with which name.
struct Title {
    written: &'static [&'static str],
    says: &'static str,
    form: Form,
}

const fn title(written: &'static [&'static str], says: &'static str, form: Form) -> Title {
    Title {
        written,
        says,
        form,
    }
}

use Form::{Alone, Dropped, GivenName, Peer, Surname};

/// Every title known, matched longest first. Ranks are said in full ("DI" is
/// "Detective Inspector"), and, as Debrett's has it, compound army and navy ranks
/// by their main rank ("Lieutenant Colonel Hughes" is "Colonel Hughes").
const TITLES: &[Title] = &[
    // Everyone.
    title(&["Mr"], "Mr", Surname),
    title(&["Mrs"], "Mrs", Surname),
    title(&["Ms"], "Ms", Surname),
    title(&["Miss"], "Miss", Surname),
    title(&["Mx"], "Mx", Surname),
    title(&["Dr", "Doctor"], "Dr", Surname),
    title(&["Professor", "Prof"], "Professor", Surname),
    title(&["Councillor", "Cllr"], "Councillor", Surname),
    // Honours and peerage.
    title(&["Sir"], "Sir", GivenName),
    title(&["Dame"], "Dame", GivenName),
    title(&["Lord"], "Lord", Peer),
    title(&["Lady"], "Lady", Peer),
    title(&["Baron", "Viscount"], "Lord", Peer),
    title(&["Viscountess"], "Lady", Peer),
    title(&["Baroness"], "Baroness", Peer),
    title(
        &["Right Honourable", "Rt Hon", "Honourable", "Hon"],
        "",
        Dropped,
    ),
    // The judiciary.
    title(
        &[
            "His Honour Judge",
            "Her Honour Judge",
            "HH Judge",
            "District Judge",
            "Deputy District Judge",
            "Judge",
        ],
        "Judge",
        Surname,
    ),
    title(&["Mr Justice"], "Mr Justice", Surname),
    title(&["Mrs Justice"], "Mrs Justice", Surname),
    title(&["Ms Justice"], "Ms Justice", Surname),
    title(&["Lord Justice"], "Lord Justice", Surname),
    title(&["Lady Justice"], "Lady Justice", Surname),
    // Clergy.
    title(&["Reverend", "Revd", "Rev"], "", Dropped),
    title(&["Right Reverend", "Rt Revd", "Rt Rev"], "Bishop", Alone),
    title(&["Most Reverend", "Most Revd"], "Archbishop", Alone),
    title(&["Very Reverend", "Very Revd"], "Dean", Alone),
    title(&["Venerable", "Ven"], "Archdeacon", Alone),
    title(&["Canon"], "Canon", Surname),
    title(&["Father", "Fr"], "Father", Surname),
    title(&["Rabbi"], "Rabbi", Surname),
    // Police.
    title(&["Chief Constable"], "Chief Constable", Surname),
    title(
        &["Deputy Chief Constable", "DCC"],
        "Deputy Chief Constable",
        Surname,
    ),
    title(
        &["Assistant Chief Constable", "ACC"],
        "Assistant Chief Constable",
        Surname,
    ),
    title(&["Commissioner"], "Commissioner", Surname),
    title(&["Deputy Commissioner"], "Deputy Commissioner", Surname),
    title(
        &["Assistant Commissioner"],
        "Assistant Commissioner",
        Surname,
    ),
    title(
        &["Deputy Assistant Commissioner"],
        "Deputy Assistant Commissioner",
        Surname,
    ),
    title(
        &["Chief Superintendent", "Ch Supt", "CSupt"],
        "Chief Superintendent",
        Surname,
    ),
    title(
        &[
            "Detective Chief Superintendent",
            "Det Ch Supt",
            "DCS",
            "DCSupt",
        ],
        "Detective Chief Superintendent",
        Surname,
    ),
    title(&["Superintendent", "Supt"], "Superintendent", Surname),
    title(
        &["Detective Superintendent", "Det Supt", "DSupt"],
        "Detective Superintendent",
        Surname,
    ),
    title(&["Chief Inspector", "Ch Insp"], "Chief Inspector", Surname),
    title(
        &["Detective Chief Inspector", "Det Ch Insp", "DCI"],
        "Detective Chief Inspector",
        Surname,
    ),
    title(&["Inspector", "Insp"], "Inspector", Surname),
    title(
        &["Detective Inspector", "Det Insp", "DI"],
        "Detective Inspector",
        Surname,
    ),
    title(&["Sergeant", "Sgt"], "Sergeant", Surname),
    title(
        &["Detective Sergeant", "Det Sgt", "DS"],
        "Detective Sergeant",
        Surname,
    ),
    title(&["Constable"], "Constable", Surname),
    title(&["Police Constable", "PC"], "Police Constable", Surname),
    title(
        &["Detective Constable", "Det Con", "DC"],
        "Detective Constable",
        Surname,
    ),
    title(&["Chief Fire Officer"], "Chief Fire Officer", Surname),
    // Army and Royal Marines.
    title(&["General", "Gen"], "General", Surname),
    title(
        &["Lieutenant General", "Lt Gen", "Major General", "Maj Gen"],
        "General",
        Surname,
    ),
    title(&["Brigadier", "Brig"], "Brigadier", Surname),
    title(&["Colonel", "Col"], "Colonel", Surname),
    title(&["Lieutenant Colonel", "Lt Col"], "Colonel", Surname),
    title(&["Major", "Maj"], "Major", Surname),
    title(&["Captain", "Capt"], "Captain", Surname),
    title(
        &["Lieutenant", "Lt", "Second Lieutenant", "2Lt"],
        "Lieutenant",
        Surname,
    ),
    // Royal Navy.
    title(&["Admiral", "Adm"], "Admiral", Surname),
    title(
        &["Vice Admiral", "Vice Adm", "Rear Admiral", "Rear Adm"],
        "Admiral",
        Surname,
    ),
    title(&["Commodore", "Cdre"], "Commodore", Surname),
    title(&["Commander", "Cdr"], "Commander", Surname),
    title(&["Lieutenant Commander", "Lt Cdr"], "Commander", Surname),
    // Royal Air Force: ranks are said in full.
    title(&["Air Chief Marshal"], "Air Chief Marshal", Surname),
    title(&["Air Marshal"], "Air Marshal", Surname),
    title(
        &["Air Vice-Marshal", "Air Vice Marshal", "AVM"],
        "Air Vice-Marshal",
        Surname,
    ),
    title(&["Air Commodore", "Air Cdre"], "Air Commodore", Surname),
    title(&["Group Captain", "Gp Capt"], "Group Captain", Surname),
    title(&["Wing Commander", "Wg Cdr"], "Wing Commander", Surname),
    title(&["Squadron Leader", "Sqn Ldr"], "Squadron Leader", Surname),
    title(
        &["Flight Lieutenant", "Flt Lt"],
        "Flight Lieutenant",
        Surname,
    ),
    title(&["Flying Officer", "Fg Off"], "Flying Officer", Surname),
    title(&["Pilot Officer", "Plt Off"], "Pilot Officer", Surname),
];

/// Words that belong to a surname when they come before it: "Mrs Ó Briain",
/// "Dr van der Berg".
const PARTICLES: [&str; 20] = [
    "Ó", "Ní", "Nic", "Mac", "Mc", "de", "De", "van", "Van", "von", "der", "den", "da", "di", "du",
    "le", "la", "del", "St", "bin",
];

/// Letters after a name, which a greeting leaves out: honours, offices, degrees.
const POST_NOMINALS: &[&str] = &[
    "AM", "KG", "KT", "GCB", "KCB", "CB", "GCMG", "KCMG", "CMG", "GCVO", "KCVO", "CVO", "LVO",
    "MVO", "GBE", "KBE", "DBE", "CBE", "OBE", "MBE", "BEM", "CH", "OM", "DSO", "MC", "QPM", "KPM",
    "QFSM", "KFSM", "DL", "JP", "KC", "QC", "MP", "MSP", "MS", "MLA", "FRS", "FRSE", "FREng",
    "PhD", "DPhil", "MD", "ADC", "RN", "RAF",
];

/// How a greeting names the contact: "Dear " and this. A name with no title known
/// here is used whole ("Jane Smith"), as is a role ("Data Protection Officer");
/// a leading "The" and letters after the name are dropped either way.
pub fn addressee(contact: &str) -> String {
    greet(&name_words(contact))
}

/// The words of a name as a greeting reads them: letters after the name and a
/// leading "The" dropped.
fn name_words(name: &str) -> Vec<&str> {
    let mut words: Vec<&str> = name
        .split_whitespace()
        .map(|w| w.trim_end_matches(','))
        .filter(|w| !w.is_empty())
        .collect();
    while words.len() > 1
        && words
            .last()
            .is_some_and(|w| POST_NOMINALS.contains(&w.trim_end_matches('.')))
    {
        words.pop();
    }
    if words.len() > 1 && words[0].eq_ignore_ascii_case("the") {
        words.remove(0);
    }
    words
}

/// The greeting's name for a contact's words, after "The" and letters after the
/// name are gone.
fn greet(words: &[&str]) -> String {
    let Some((title, length)) = find_title(words) else {
        return words.join(" ");
    };
    let rest = &words[length..];
    match title.form {
        Alone => title.says.to_owned(),
        Dropped if rest.is_empty() => words.join(" "),
        Dropped => greet(rest),
        Surname => match surname_of(rest) {
            Some(surname) => format!("{} {surname}", title.says),
            None => words.join(" "),
        },
        GivenName => match rest {
            [given, _, ..] if !is_initials(given) => format!("{} {given}", title.says),
            _ => std::iter::once(title.says)
                .chain(rest.iter().copied())
                .collect::<Vec<_>>()
                .join(" "),
        },
        Peer => {
            // "Lord Smith of Finsbury": the territorial designation is not said.
            let name = rest.split(|w| *w == "of").next().unwrap_or(rest);
            match name {
                [given, _, ..] if !is_initials(given) => format!("{} {given}", title.says),
                _ => match surname_of(name) {
                    Some(surname) => format!("{} {surname}", title.says),
                    None => words.join(" "),
                },
            }
        }
    }
}

/// The longest title the words start with, and how many words it takes.
fn find_title(words: &[&str]) -> Option<(&'static Title, usize)> {
    TITLES
        .iter()
        .flat_map(|title| title.written.iter().map(move |written| (title, written)))
        .filter_map(|(title, written)| {
            let parts: Vec<&str> = written.split(' ').collect();
            let matches = parts.len() <= words.len()
                && parts
                    .iter()
                    .zip(words)
                    .all(|(part, word)| word.strip_suffix('.').unwrap_or(word) == *part);
            matches.then_some((title, parts.len()))
        })
        .max_by_key(|&(_, length)| length)
}

/// The surname at the end of a name ("Hans van der Berg" is "van der Berg"),
/// with the particles before it; none if the name is empty.
pub fn surname(name: &str) -> Option<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    surname_of(&words)
}

fn surname_of(name: &[&str]) -> Option<String> {
    let (last, before) = name.split_last()?;
    let mut start = before.len();
    while start > 0 && PARTICLES.contains(&before[start - 1]) {
        start -= 1;
    }
    let mut parts = before[start..].to_vec();
    parts.push(last);
    Some(parts.join(" "))
}

/// Every form of a person's name a letter may print, longest first: the name as
/// written, the greeting's form ("Ms Morrison"), the name without its title and
/// letters after it ("Eleanor Morrison"), the surname with its particles ("van
/// der Berg"), each forename of two letters or more ("Eleanor"), and the
/// initials joined, where there are two or more ("EM"). A form of one letter is
/// left out: it would match every "a" and "I".
pub fn forms(name: &str) -> Vec<String> {
    let words = name_words(name);
    let mut forms = vec![name.trim().to_owned(), greet(&words)];
    let bare = untitled(&words);
    forms.push(bare.join(" "));
    let surname = surname_of(bare);
    let surname_words = surname.as_deref().map_or(0, |s| s.split(' ').count());
    forms.extend(surname.clone());
    let forenames = &bare[..bare.len().saturating_sub(surname_words)];
    for forename in forenames {
        forms.push((*forename).to_owned());
    }
    let initials: String = bare
        .iter()
        .filter(|w| !PARTICLES.contains(w))
        .flat_map(|w| {
            let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
            if is_initials(w) {
                letters
            } else {
                letters.into_iter().take(1).collect()
            }
        })
        .collect();
    forms.push(initials);
    forms.retain(|form| form.chars().filter(|c| c.is_alphanumeric()).count() >= 2);
    forms.sort_by_key(|form| std::cmp::Reverse(form.chars().count()));
    let mut seen = std::collections::HashSet::new();
    forms.retain(|form| seen.insert(form.clone()));
    forms
}

/// A name without the titles before it ("Mrs Siobhán O'Connell" is "Siobhán
/// O'Connell").
pub fn without_title(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    untitled(&words).join(" ")
}

/// The words of a name after its titles (all of them, if nothing follows).
fn untitled<'a, 'b>(words: &'b [&'a str]) -> &'b [&'a str] {
    let mut bare = words;
    while let Some((_, length)) = find_title(bare) {
        if length >= bare.len() {
            break;
        }
        bare = &bare[length..];
    }
    bare
}

/// Whether a word is initials rather than a name: "K", "K.", "JK", "J.K.".
fn is_initials(word: &str) -> bool {
    let letters: Vec<char> = word.chars().filter(|c| *c != '.').collect();
    !letters.is_empty() && letters.len() <= 3 && letters.iter().all(|c| c.is_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One row per shape of name: every form a letter may print.
    #[test]
    fn a_name_has_every_form_a_letter_prints() {
        for (name, expected) in [
            (
                "Ms Eleanor Morrison",
                &[
                    "Ms Eleanor Morrison",
                    "Eleanor Morrison",
                    "Ms Morrison",
                    "Morrison",
                    "Eleanor",
                    "EM",
                ][..],
            ),
            (
                "Ms E Morrison",
                &[
                    "Ms E Morrison",
                    "Ms Morrison",
                    "E Morrison",
                    "Morrison",
                    "EM",
                ],
            ),
            ("Jordan Pike", &["Jordan Pike", "Jordan", "Pike", "JP"]),
            (
                "Dr Hans van der Berg",
                &[
                    "Dr Hans van der Berg",
                    "Hans van der Berg",
                    "Dr van der Berg",
                    "van der Berg",
                    "Hans",
                    "HB",
                ],
            ),
            (
                "Sir Keith Lee KCB",
                &[
                    "Sir Keith Lee KCB",
                    "Sir Keith",
                    "Keith Lee",
                    "Keith",
                    "Lee",
                    "KL",
                ],
            ),
            (
                "Detective Inspector Ali Ng",
                &[
                    "Detective Inspector Ali Ng",
                    "Detective Inspector Ng",
                    "Ali Ng",
                    "Ali",
                    "Ng",
                    "AN",
                ],
            ),
            (
                "Mr J.K. O'Brien",
                &[
                    "Mr J.K. O'Brien",
                    "J.K. O'Brien",
                    "Mr O'Brien",
                    "O'Brien",
                    "J.K.",
                    "JKO",
                ],
            ),
        ] {
            assert_eq!(forms(name), expected, "{name}");
        }
    }

    /// One row per convention: the contact as a case file names it, and the name
    /// the greeting uses ("Dear <this>").
    #[test]
    fn addressee_follows_british_conventions() {
        for (contact, expected) in [
            // Mr, Mrs, Ms, Miss, Mx, Dr, Professor: the surname; initials and
            // first names dropped.
            ("Ms E Morrison", "Ms Morrison"),
            ("Mr A MacLeod", "Mr MacLeod"),
            ("Mrs Jane Ann Smith", "Mrs Smith"),
            ("Miss J Smith", "Miss Smith"),
            ("Mx Sam Taylor", "Mx Taylor"),
            ("Dr Priya Raman", "Dr Raman"),
            ("Dr. Jane Ann Smith", "Dr Smith"),
            ("Professor Alan Grey", "Professor Grey"),
            ("Prof A Grey", "Professor Grey"),
            ("Councillor Mary Evans", "Councillor Evans"),
            ("Mr Smith", "Mr Smith"),
            ("  Ms   E   Morrison ", "Ms Morrison"),
            // Particles stay with the surname.
            ("Mrs Siân Ó Briain", "Mrs Ó Briain"),
            ("Dr Anna van der Berg", "Dr van der Berg"),
            ("Mr J de la Cruz", "Mr de la Cruz"),
            // Letters after the name are not said.
            ("Ms E Morrison OBE", "Ms Morrison"),
            ("Dr Priya Raman, PhD", "Dr Raman"),
            ("Jane Smith MBE", "Jane Smith"),
            // Knights and dames: the first name.
            ("Sir Keith Lee", "Sir Keith"),
            ("Dame Jane Smith", "Dame Jane"),
            ("Sir Keith Lee KBE", "Sir Keith"),
            ("Sir K Lee", "Sir K Lee"),
            // A first title wins: a professor who is a knight, in a professional letter.
            ("Professor Sir Keith Lee", "Professor Lee"),
            // Peers: the title, without "of ..."; a peer's child by first name.
            ("Lord Smith", "Lord Smith"),
            ("Lord Smith of Finsbury", "Lord Smith"),
            ("The Lord Smith of Finsbury", "Lord Smith"),
            ("Baroness Jones of Whitchurch", "Baroness Jones"),
            ("Viscount Hailsham", "Lord Hailsham"),
            ("Lady Smith", "Lady Smith"),
            ("Lady Jane Smith", "Lady Jane"),
            ("The Rt Hon Sir Keith Lee MP", "Sir Keith"),
            ("The Rt Hon Jane Smith MP", "Jane Smith"),
            // Police ranks keep the rank with the surname, abbreviations in full.
            (
                "Chief Superintendent J Ferguson",
                "Chief Superintendent Ferguson",
            ),
            ("Chief Constable Jane Smith QPM", "Chief Constable Smith"),
            ("Detective Inspector Amir Shah", "Detective Inspector Shah"),
            ("DI A Shah", "Detective Inspector Shah"),
            (
                "Det Ch Supt R Okafor",
                "Detective Chief Superintendent Okafor",
            ),
            ("PC Lucy Hart", "Police Constable Hart"),
            ("Inspector Morse", "Inspector Morse"),
            // Army, navy and air force: the rank and surname; compound army and
            // navy ranks by their main rank.
            ("Colonel R Hughes", "Colonel Hughes"),
            ("Lieutenant Colonel R Hughes", "Colonel Hughes"),
            ("Lt Col R Hughes", "Colonel Hughes"),
            ("Major General Ann Cole", "General Cole"),
            ("Lieutenant Commander P Rao", "Commander Rao"),
            ("Rear Admiral Tom Bell", "Admiral Bell"),
            ("Wing Commander D Price", "Wing Commander Price"),
            ("Air Vice-Marshal S Khan", "Air Vice-Marshal Khan"),
            ("Captain Sarah Hill RN", "Captain Hill"),
            // Judges: "Judge" and the surname, or the High Court form as written.
            ("His Honour Judge Patel", "Judge Patel"),
            ("Her Honour Judge Anita Patel KC", "Judge Patel"),
            ("District Judge R Moss", "Judge Moss"),
            ("The Honourable Mr Justice Smith", "Mr Justice Smith"),
            ("Lord Justice Bean", "Lord Justice Bean"),
            // Clergy: senior offices by the office alone; otherwise the social or
            // other title after "The Reverend", and the name when there is none.
            ("The Right Reverend Jane Smith", "Bishop"),
            ("The Rt Revd John Smith", "Bishop"),
            ("The Most Reverend John Smith", "Archbishop"),
            ("The Very Reverend Jane Smith", "Dean"),
            ("The Venerable John Smith", "Archdeacon"),
            ("The Reverend Canon Jane Smith", "Canon Smith"),
            ("The Reverend Dr Jane Smith", "Dr Smith"),
            ("The Revd Mrs Jane Smith", "Mrs Smith"),
            ("The Reverend Jane Smith", "Jane Smith"),
            ("Father John Smith", "Father Smith"),
            ("Rabbi David Cohen", "Rabbi Cohen"),
            // Roles: as written, without "The".
            ("The Data Protection Officer", "Data Protection Officer"),
            ("Data Protection Officer", "Data Protection Officer"),
            (
                "Head of Information Governance",
                "Head of Information Governance",
            ),
            (
                "the Information Governance Manager",
                "Information Governance Manager",
            ),
            // A name with no title: whole.
            ("Jane Smith", "Jane Smith"),
            ("Dean Jones", "Dean Jones"),
            // A title alone is left as it is.
            ("Ms", "Ms"),
            ("Sir", "Sir"),
            ("The Reverend", "Reverend"),
        ] {
            assert_eq!(addressee(contact), expected, "{contact}");
        }
    }

    #[test]
    fn every_title_is_written_in_single_spaced_words_and_said() {
        for title in TITLES {
            assert_eq!(
                title.form == Dropped,
                title.says.is_empty(),
                "{:?}",
                title.written
            );
            for written in title.written {
                assert_eq!(written.split(' ').collect::<Vec<_>>().join(" "), *written);
                assert!(!written.is_empty() && !written.ends_with('.'), "{written}");
            }
        }
    }

    #[test]
    fn initials_are_told_from_names() {
        for (word, initials) in [
            ("K", true),
            ("K.", true),
            ("JK", true),
            ("J.K.", true),
            ("Keith", false),
            ("Al", false),
            ("", false),
        ] {
            assert_eq!(is_initials(word), initials, "{word}");
        }
    }
}
