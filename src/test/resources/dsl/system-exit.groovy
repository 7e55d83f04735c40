backup('nightly') {
    sources { files('chroma') { path '/data/chroma' } }
    destinations { local('nas') { path '/mnt/nas' } }
}
System.exit(0)
def rt = Runtime.getRuntime()
