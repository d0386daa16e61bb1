fn main() -> std::process::ExitCode {
    rapport::cli::main()
}
