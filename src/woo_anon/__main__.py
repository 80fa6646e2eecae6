from woo_anon.cli import main

main()
