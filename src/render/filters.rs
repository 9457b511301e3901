//! The Tera filters letter templates use, registered in one place.
//!
//! Every value a template sees is already Markdown (plain case values escaped), so
//! filters that return text return Markdown too: dates, numbers and words contain
//! nothing that needs escaping, and `join_and` joins fragments that are escaped.

use chrono::NaiveDate;
use tera::{Error, Kwargs, State, Tera, TeraResult, Value};

use crate::english::{
    capitalise_first, count_words, group_citations, join_and, long_date, thousands, weekday_date,
};

/// Registers every filter on a Tera instance.
pub fn register(tera: &mut Tera) {
    tera.register_filter("long_date", |date: &str, _: Kwargs, _: &State| {
        parse_date(date).map(long_date)
    });
    tera.register_filter("weekday_date", |date: &str, _: Kwargs, _: &State| {
        parse_date(date).map(weekday_date)
    });
    tera.register_filter("thousands", |n: u64, _: Kwargs, _: &State| thousands(n));
    tera.register_filter("words", |n: u64, _: Kwargs, _: &State| count_words(n));
    tera.register_filter("join_and", |items: Vec<Value>, _: Kwargs, _: &State| {
        let items: Vec<String> = items.iter().map(|v| v.to_string()).collect();
        join_and(&items)
    });
    tera.register_filter("dates_and", |dates: Vec<String>, _: Kwargs, _: &State| {
        let dates: Vec<String> = dates
            .iter()
            .map(|d| parse_date(d).map(long_date))
            .collect::<TeraResult<_>>()?;
        Ok::<_, Error>(join_and(&dates))
    });
    tera.register_filter("plural", plural);
    tera.register_filter("hang", hang);
    tera.register_filter("item", item);
    tera.register_filter("sentence", |text: &str, _: Kwargs, _: &State| {
        capitalise_first(text)
    });
    tera.register_filter("citations", citations);
}

/// `{{ text | hang(by=4) }}`: Markdown indented by `by` spaces on every line but
/// the first, so a field holding a list or several paragraphs stays inside the
/// list item whose marker stands before it. Blank lines stay blank, and trailing
/// line breaks go.
fn hang(text: &str, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let by: usize = kwargs.must_get("by")?;
    Ok(hang_by(text, by))
}

/// `{{ text | item(marker=12) }}` or `{{ text | item(marker="-", indent=4) }}`: a
/// list item, its marker (a number is followed by a full stop) after `indent`
/// spaces, and the text hung to the item's content column, where Markdown keeps
/// it inside the item whatever it holds.
fn item(text: &str, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let marker: Value = kwargs.must_get("marker")?;
    let marker = match (marker.as_i128(), marker.as_str()) {
        (Some(number), _) => format!("{number}."),
        (None, Some(text)) => text.to_owned(),
        (None, None) => marker.to_string(),
    };
    let indent: usize = kwargs.get("indent")?.unwrap_or(0);
    let by = indent + marker.chars().count() + 1;
    Ok(format!(
        "{}{marker} {}",
        " ".repeat(indent),
        hang_by(text, by)
    ))
}

fn hang_by(text: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    let mut out = String::with_capacity(text.len());
    for (index, line) in text.trim_end_matches(['\n', '\r']).lines().enumerate() {
        if index > 0 {
            out.push('\n');
            if !line.trim().is_empty() {
                out.push_str(&pad);
                out.push_str(line);
            }
        } else {
            out.push_str(line);
        }
    }
    out
}

/// `{{ letter.infringements | citations }}`: the provisions' titles (a provision's
/// `title`, or a plain string) grouped as one citation, "Articles 12(3) and
/// 15(1) and (3) of the UK GDPR".
fn citations(items: Vec<Value>, _: Kwargs, _: &State) -> TeraResult<String> {
    let titles: Vec<String> = items
        .iter()
        .map(|item| match item.as_str() {
            Some(text) => text.to_owned(),
            None => item
                .get_from_path("title")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .unwrap_or_else(|| item.to_string()),
        })
        .collect();
    Ok(group_citations(&titles))
}

/// `{{ n | plural(one="incident", many="incidents") }}`: the word for the count.
fn plural(n: u64, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let one: String = kwargs.must_get("one")?;
    let many: String = kwargs.must_get("many")?;
    Ok(if n == 1 { one } else { many })
}

fn parse_date(text: &str) -> TeraResult<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| Error::message(format!("expected a date such as 2022-05-19, got `{text}`")))
}

#[cfg(test)]
mod tests {
    use tera::Context;

    use super::*;

    fn render(template: &str, context: &Context) -> String {
        let mut tera = Tera::new();
        register(&mut tera);
        tera.add_raw_template("t", template)
            .expect("template parses");
        tera.render("t", context).expect("template renders")
    }

    #[test]
    fn each_filter() {
        let mut context = Context::new();
        context.insert("date", "2023-11-06");
        context.insert("items", &["1", "2", "4"]);
        context.insert("one", &["1"]);
        context.insert("n", &121_109);
        context.insert("dates", &["2019-12-31", "2020-01-03"]);
        for (template, expected) in [
            ("{{ date | long_date }}", "6 November 2023"),
            ("{{ date | weekday_date }}", "Monday 6 November 2023"),
            ("{{ n | thousands }}", "121,109"),
            ("{{ 3 | words }}", "three"),
            ("{{ 2 | words | capitalize }}", "Two"),
            ("{{ 21 | words }}", "21"),
            ("{{ n | words }}", "121,109"),
            ("{{ items | join_and }}", "1, 2 and 4"),
            ("{{ one | join_and }}", "1"),
            (
                "{{ dates | dates_and }}",
                "31 December 2019 and 3 January 2020",
            ),
            ("{{ 1 | plural(one='step', many='steps') }}", "step"),
            ("{{ 2 | plural(one='step', many='steps') }}", "steps"),
            ("{{ 'a\n\n- b\n' | hang(by=3) }}", "a\n\n   - b"),
            ("{{ 'a\nb' | item(marker=12) }}", "12. a\n    b"),
            (
                "{{ 'a\nb' | item(marker='-', indent=4) }}",
                "    - a\n      b",
            ),
            ("{{ 'the Council' | sentence }}", "The Council"),
            ("{{ 'éire' | sentence }}", "Éire"),
        ] {
            assert_eq!(render(template, &context), expected, "{template}");
        }
    }

    #[test]
    fn a_bad_date_is_an_error_naming_the_value() {
        let mut tera = Tera::new();
        register(&mut tera);
        tera.add_raw_template("t", "{{ 'soon' | long_date }}")
            .expect("parses");
        let error = tera.render("t", &Context::new()).expect_err("not a date");
        assert!(format!("{error:?}").contains("soon"), "{error:?}");
    }
}
