//! `bitticket`: see `bitticket --help`. Exit codes: 0 done, 1 refused (by the program, the
//! cluster or the API), 2 a usage or configuration error.
use std::path::Path;

use bitticket_cli::{print, run, Cli, CliError, Ctx, Format, Settings};
use clap::error::ErrorKind;
use clap::Parser;

/// A global option's value as typed (`--long V`, `--long=V`, `-s V`, `-sV`), read by hand
/// when clap refused the line.
fn typed<'a>(args: &'a [String], long: &str, short: Option<char>) -> Option<&'a str> {
    let long = format!("--{long}");
    let short = short.map(|c| format!("-{c}"));
    args.iter().enumerate().find_map(|(i, a)| {
        let next = || args.get(i + 1).map(String::as_str);
        if *a == long || short.as_deref() == Some(a.as_str()) {
            return next();
        }
        a.strip_prefix(&format!("{long}="))
            .or_else(|| short.as_deref().and_then(|s| a.strip_prefix(s)))
    })
}

fn fail(format: Format, e: &CliError) -> ! {
    match format {
        Format::Human => eprintln!("error: {e}"),
        Format::Json => println!(
            "{}",
            serde_json::json!({"error": {"kind": e.kind(), "message": e.to_string()}})
        ),
    }
    std::process::exit(e.exit_code());
}

/// A value clap's parsers refused (an address, an amount, a role): the settings' errors
/// come first, as they did before the arguments were typed; then the value's, said as
/// any other error (`error: ...`, or the JSON error object).
fn refused_value(args: &[String], e: clap::Error) -> ! {
    let format = match typed(args, "output", None) {
        Some("json") => Format::Json,
        _ => Format::Human,
    };
    let settings = Settings::resolve(
        typed(args, "config", Some('C')).map(Path::new),
        typed(args, "url", Some('u')),
        typed(args, "keypair", Some('k')).map(Path::new),
        typed(args, "commitment", None),
    );
    if let Err(settings) = settings {
        fail(format, &settings);
    }
    // the parser's own message names what was typed and what was expected
    let message = std::error::Error::source(&e).map_or_else(|| e.to_string(), ToString::to_string);
    fail(format, &CliError::Invalid(message))
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) if e.kind() == ErrorKind::ValueValidation => refused_value(&args, e),
        Err(e) => e.exit(),
    };
    let format = cli.output;
    let result = match cli.settings() {
        Ok(settings) => run(&Ctx::new(settings), cli.command).await,
        Err(e) => Err(e),
    };
    if let Err(e) = result.and_then(|output| print(format, output.as_ref())) {
        fail(format, &e);
    }
}
