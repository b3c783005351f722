"""One module per stage; each exposes one public function from input artefacts to output artefacts."""
