"""Real servers (databases, file servers, cloud emulators) started on 127.0.0.1 for the tests."""
