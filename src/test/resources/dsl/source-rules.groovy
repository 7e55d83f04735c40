backup('nightly') {
    sources {
        postgres('both')       { database 'app'; schemaOnly; dataOnly }
        postgres('format')     { database 'app'; format 'tar'; export 'csv' }
        postgres('ranges')     { database 'app'; port 70000; jobs 0 }
        postgres('continuous') { database 'app'; continuous; tables 'a' }
        mysql('socket')        { database 'shop'; socket '/run/mysqld/mysqld.sock'; host 'db' }
        redis('port')          { port 0 }
        mongo('uri')           { database 'game'; uri 'localhost:27017' }
        command('run')         { run ''; extension 'tar gz' }
        files('glob')          { path '/srv/docs'; include 'a/[b' }
    }
    destinations { local('nas') { path '/mnt/nas' } }
}
