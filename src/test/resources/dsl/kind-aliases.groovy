backup('nightly') {
    sources {
        mariadb('shop') { database 'shop' }
        dir('docs') { path '/srv/docs' }
    }
    destinations {
        minio('m') { bucket 'b' }
        ssh('offsite') { host 'h' }
    }
}
