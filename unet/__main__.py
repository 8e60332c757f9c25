from unet.cli import main

main()
