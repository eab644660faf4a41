from grader.frontends.cli import main

main()
