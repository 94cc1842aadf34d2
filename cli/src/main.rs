//! `bitticket`: see `bitticket --help`. Exit codes: 0 done, 1 refused (by the program, the
//! cluster or the API), 2 a usage or configuration error.
use bitticket_cli::{run, Cli, Ctx, Format};
use clap::Parser;

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    let format = cli.output;
    let result = match cli.settings() {
        Ok(settings) => run(&Ctx::new(settings), cli.command).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(report) => report.print(format),
        Err(e) => {
            match format {
                Format::Human => eprintln!("error: {e}"),
                Format::Json => println!(
                    "{}",
                    serde_json::json!({"error": {"kind": e.kind(), "message": e.to_string()}})
                ),
            }
            std::process::exit(e.exit_code());
        }
    }
}
