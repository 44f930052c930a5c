//! `photosky --help`: what a newcomer reads first.

#[test]
fn help_says_what_photosky_does_and_shows_examples() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_photosky"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success());
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap(), @r#"
    Deploy the PhotoSky serverless photo pipeline to AWS, and remove it again.

    `up` creates an ECR repository, IAM roles, a CodeBuild project that builds the Lambda image, the
    Lambda function, the upload and thumbnail buckets with their trigger, and an API Gateway REST API,
    calling AWS APIs directly. Every resource is recorded in <state-dir>/<name>.json as it is made, so
    an interrupted `up` resumes and `down` removes everything.

    Usage: photosky [OPTIONS] <COMMAND>

    Commands:
      up      Create the stack, or bring it up to date; resumes after an interruption
      down    Delete every resource of the stack, then its state file
      status  Show each resource: whether it exists, is healthy, and live details
      logs    Print the function's log events (or the builds'), oldest first
      ls      List the stacks in the region (any name), found by their tag: what each holds, and whether
              a state file here knows it
      user    Who may sign in: add, list or remove the stack's users
      share   The gallery's share links: list them, or revoke one
      policy  Print the IAM policy photosky needs to run (attach it to the user or role that runs
              photosky: README.md, "Using it with AWS")
      help    Print this message or the help of the given subcommand(s)

    Options:
          --name <NAME>
              Stack name: lowercase letters, digits and hyphens; starts with a letter
              
              [default: photosky]

          --state-dir <DIR>
              Directory of state files (one `<name>.json` per stack)
              
              [default: state]

          --region <R>
              AWS region for a new stack [default: AWS_REGION or the profile's]. An existing stack
              always stays in the region its state file records

          --profile <P>
              AWS profile from ~/.aws/config [default: AWS_PROFILE or `default`]

          --endpoint-url <URL>
              Send every AWS call here, e.g. http://127.0.0.1:5000 for moto [default: AWS_ENDPOINT_URL]

          --jobs <N>
              How many steps may run at once. Steps start as soon as what they need exists; 1 runs the
              plan as a list, in order
              
              [default: 8]

      -v, --verbose
              Print more about what is happening

          --output <OUTPUT>
              Result format on stdout
              
              [default: text]
              [possible values: text, json]

      -h, --help
              Print help (see a summary with '-h')

      -V, --version
              Print version

    Examples:
      photosky up                          deploy (or update) the stack `photosky`
      photosky --name demo up --memory 2048 --cors-origin https://photos.example.com
      photosky status --output json        what exists, as JSON; exit 1 if anything is missing
      photosky logs --since 1h --follow    the function's log, then new events as they come
      photosky down --yes                  delete everything the stack made
      photosky ls --all-regions            every stack in the account, and which have a state file here
      photosky user add ana@example.com    let someone sign in; prints their one-time password

    Credentials and region come from the usual AWS places (AWS_PROFILE,
    AWS_REGION, ~/.aws/config, SSO, instance roles), as for the AWS CLI.
    AWS_ENDPOINT_URL (or --endpoint-url) points every call at an emulator such as moto.
    "#);
}

/// clap's "a similar argument exists" only for a near miss: `--frobnicate`
/// is not a typo of `--private`, and the usage line does not suggest it.
#[test]
fn a_mistyped_flag_gets_a_tip_and_an_unknown_one_does_not() {
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_photosky"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        String::from_utf8(out.stderr).unwrap()
    };
    insta::assert_snapshot!(run(&["up", "--frobnicate"]), @"
    error: unexpected argument '--frobnicate' found

    Usage: photosky up [OPTIONS]

    For more information, try '--help'.
    ");
    insta::assert_snapshot!(run(&["up", "--privte"]), @"
    error: unexpected argument '--privte' found

      tip: a similar argument exists: '--private'

    Usage: photosky up --private

    For more information, try '--help'.
    ");
    insta::assert_snapshot!(run(&["stauts"]), @"
    error: unrecognized subcommand 'stauts'

      tip: a similar subcommand exists: 'status'

    Usage: photosky [OPTIONS] <COMMAND>

    For more information, try '--help'.
    ");
}
