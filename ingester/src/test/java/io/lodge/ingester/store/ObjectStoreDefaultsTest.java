package io.lodge.ingester.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract on {@link ObjectStore}'s default methods (parts joined, ranges cut from the whole object,
 * children from the listing): a store that implements only the abstract methods, over a real directory.
 */
class ObjectStoreDefaultsTest extends ObjectStoreContractTest {
  @TempDir Path root;

  @Override
  protected ObjectStore newStore() throws IOException {
    FsObjectStore files = new FsObjectStore(root);
    return new ObjectStore() {
      @Override
      public void put(String key, byte[] data) throws IOException {
        files.put(key, data);
      }

      @Override
      public byte[] get(String key) throws IOException {
        return files.get(key);
      }

      @Override
      public List<String> list(String prefix) throws IOException {
        return files.list(prefix);
      }

      @Override
      public void delete(String key) throws IOException {
        files.delete(key);
      }

      @Override
      public boolean exists(String key) throws IOException {
        return files.exists(key);
      }
    };
  }
}
