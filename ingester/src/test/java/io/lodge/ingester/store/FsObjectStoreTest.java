package io.lodge.ingester.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on a real directory, plus what is specific to files: layout, crash leftovers, escapes. */
class FsObjectStoreTest extends ObjectStoreContractTest {
  @TempDir Path root;

  @Override
  protected ObjectStore newStore() throws IOException {
    return new FsObjectStore(root);
  }

  @Test
  void objectsAreFilesUnderObjectsAndSurviveReopening() throws Exception {
    store.put("t/chunks/ab/01", new byte[] {1, 2, 3});
    assertThat(Files.readAllBytes(root.resolve("objects/t/chunks/ab/01"))).containsExactly(1, 2, 3);
    ObjectStore again = new FsObjectStore(root);
    assertThat(again.get("t/chunks/ab/01")).containsExactly(1, 2, 3);
    assertThat(again.list("")).containsExactly("t/chunks/ab/01");
  }

  @Test
  void aTornPutLeftByACrashIsInvisibleAndCleanedOnOpen() throws Exception {
    store.put("a/ok", new byte[] {1});
    Path torn = root.resolve("tmp").resolve("999-1.tmp");
    Files.write(torn, new byte[] {9, 9}); // a put that died before its rename
    assertThat(store.list("")).containsExactly("a/ok");
    new FsObjectStore(root);
    assertThat(torn).doesNotExist();
    assertThat(Files.list(root.resolve("tmp")).count()).isZero();
  }

  @Test
  void keysCannotEscapeTheRoot() throws Exception {
    Files.writeString(root.resolve("secret"), "s");
    assertThatThrownBy(() -> store.get("../secret")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.get("a/../../secret")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.put("/etc/passwd", new byte[1])).isInstanceOf(IllegalArgumentException.class);
    assertThat(store.list("../")).isEmpty();
  }

  @Test
  void noTemporaryFileRemainsAfterPuts() throws Exception {
    for (int i = 0; i < 20; i++) store.put("k" + i, new byte[i]);
    assertThat(Files.list(root.resolve("tmp")).count()).isZero();
  }

  @Test
  void aKeyUnderAnExistingObjectFailsCleanly() throws Exception {
    store.put("a/b", new byte[] {1});
    assertThatThrownBy(() -> store.put("a/b/c", new byte[] {2})).isInstanceOf(IOException.class)
        .isNotInstanceOf(NoSuchObjectException.class);
    assertThat(store.get("a/b")).containsExactly(1);
    assertThat(Files.list(root.resolve("tmp")).count()).isZero();
  }
}
