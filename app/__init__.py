"""The command line (`verbatim`) and the Gradio app: people in, hits out; no retrieval logic."""
