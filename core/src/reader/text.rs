//! Turns a trainee message into sentences of folded tokens, so that the lexicon's phrases can
//! match whatever the trainee's casing, accents, apostrophes and punctuation.

use std::collections::BTreeMap;

/// A token is a range into the folded text; `clause` changes at commas, colons and the like,
/// because negation does not reach across them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Token {
    pub start: u32,
    pub end: u32,
    pub clause: u16,
}

#[derive(Debug, Clone)]
pub(crate) struct Sentence {
    pub tokens: Vec<Token>,
    pub question_mark: bool,
}

/// Lowercases and drops diacritics so that "Geïnstalleerd" and "geinstalleerd" are one word.
pub(crate) fn fold(c: char) -> Option<char> {
    let c = match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' | 'À' | 'Á' | 'Â' | 'Ä' | 'Ã' | 'Å' => 'a',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'Ò' | 'Ó' | 'Ô' | 'Ö' | 'Õ' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ç' | 'Ç' => 'c',
        'ñ' | 'Ñ' => 'n',
        c if c.is_ascii() => c.to_ascii_lowercase(),
        c => return c.to_lowercase().next(),
    };
    Some(c)
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | '`' | '´')
}

/// Splits text into sentences of tokens. Apostrophes inside words vanish ("don't" is "dont"),
/// hyphens separate words ("go-live" is "go live"), and a full stop between digits stays
/// inside the number.
pub(crate) fn tokenize(
    text: &str,
    folded: &mut String,
    synonyms: &BTreeMap<String, String>,
) -> Vec<Sentence> {
    folded.clear();
    let mut sentences = Vec::new();
    let mut current = Sentence {
        tokens: Vec::new(),
        question_mark: false,
    };
    let mut clause: u16 = 0;
    let mut word_start: Option<usize> = None;
    let chars: Vec<char> = text.chars().collect();

    let end_word = |folded: &mut String,
                    word_start: &mut Option<usize>,
                    tokens: &mut Vec<Token>,
                    clause: u16| {
        if let Some(start) = word_start.take()
            && folded.len() > start
        {
            if let Some(replacement) = synonyms.get(&folded[start..]) {
                folded.truncate(start);
                folded.push_str(replacement);
            }
            tokens.push(Token {
                start: start as u32,
                end: folded.len() as u32,
                clause,
            });
        }
    };

    for (i, &c) in chars.iter().enumerate() {
        let prev_digit = i > 0 && chars[i - 1].is_ascii_digit();
        let next_digit = chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        if c.is_alphanumeric() || c == '%' || ((c == '.' || c == ',') && prev_digit && next_digit) {
            if word_start.is_none() {
                if !folded.is_empty() {
                    folded.push(' ');
                }
                word_start = Some(folded.len());
            }
            if let Some(f) = fold(c) {
                folded.push(f);
            }
            continue;
        }
        if is_apostrophe(c) && word_start.is_some() {
            continue;
        }
        end_word(folded, &mut word_start, &mut current.tokens, clause);
        match c {
            '.' | '!' | '?' | ';' | '\n' | '…' => {
                if c == '?' {
                    current.question_mark = true;
                }
                let next_is_end = chars
                    .get(i + 1)
                    .is_some_and(|n| matches!(n, '.' | '!' | '?'));
                if !next_is_end && !current.tokens.is_empty() {
                    sentences.push(std::mem::replace(
                        &mut current,
                        Sentence {
                            tokens: Vec::new(),
                            question_mark: false,
                        },
                    ));
                    clause = 0;
                }
            }
            // A dash between spaces sets off a clause; a hyphen inside a word does not.
            '-' if i > 0 && chars[i - 1].is_whitespace() => clause = clause.saturating_add(1),
            ',' | ':' | '(' | ')' | '–' | '—' | '"' | '“' | '”' => {
                clause = clause.saturating_add(1)
            }
            _ => {}
        }
    }
    end_word(folded, &mut word_start, &mut current.tokens, clause);
    if !current.tokens.is_empty() {
        sentences.push(current);
    }
    sentences
}

/// The folded words of a lexicon phrase, the same way a message is folded.
pub(crate) fn phrase_words(phrase: &str) -> Vec<String> {
    let mut folded = String::new();
    let sentences = tokenize(phrase, &mut folded, &BTreeMap::new());
    sentences
        .iter()
        .flat_map(|s| s.tokens.iter())
        .map(|t| folded[t.start as usize..t.end as usize].to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<Vec<String>> {
        let mut folded = String::new();
        let sentences = tokenize(text, &mut folded, &BTreeMap::new());
        sentences
            .iter()
            .map(|s| {
                s.tokens
                    .iter()
                    .map(|t| folded[t.start as usize..t.end as usize].to_string())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn folds_case_accents_and_apostrophes() {
        assert_eq!(
            words("What’s GEÏNSTALLEERD, don't"),
            vec![vec!["whats", "geinstalleerd", "dont"]]
        );
    }

    #[test]
    fn splits_sentences_but_keeps_decimals() {
        assert_eq!(
            words("Uptime was 99.9% last year. Shall we sign?! ok"),
            vec![
                vec!["uptime", "was", "99.9%", "last", "year"],
                vec!["shall", "we", "sign"],
                vec!["ok"]
            ]
        );
    }

    #[test]
    fn hyphens_separate_words() {
        assert_eq!(phrase_words("go-live"), vec!["go", "live"]);
    }
}
