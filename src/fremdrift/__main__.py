from fremdrift.cli import main

main()
