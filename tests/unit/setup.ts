// Every unit test gets a fresh, in-memory IndexedDB so storage tests cannot leak into each other.
import 'fake-indexeddb/auto';
