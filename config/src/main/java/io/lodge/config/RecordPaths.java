package io.lodge.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.List;

/**
 * Reads and replaces one component deep inside nested config records by component names
 * ({@code ["limits", "maxLineSize"]}). This is what lets the schema be derived from the records
 * themselves: a component added to {@link LimitsConfig} becomes a YAML key without new code here.
 */
final class RecordPaths {
  /** A record class's components, accessors and canonical constructor; looked up once per class. */
  private record Shape(String[] names, Method[] accessors, Constructor<?> constructor) {
    int index(String name) {
      for (int i = 0; i < names.length; i++) if (names[i].equals(name)) return i;
      throw new IllegalStateException("no component " + name + " in " + constructor.getDeclaringClass().getSimpleName());
    }
  }

  private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
    @Override
    protected Shape computeValue(Class<?> type) {
      RecordComponent[] components = type.getRecordComponents();
      String[] names = new String[components.length];
      Method[] accessors = new Method[components.length];
      Class<?>[] types = new Class<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        names[i] = components[i].getName();
        accessors[i] = components[i].getAccessor();
        types[i] = components[i].getType();
      }
      try {
        return new Shape(names, accessors, type.getDeclaredConstructor(types));
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException("no canonical constructor in " + type.getSimpleName(), e);
      }
    }
  };

  private RecordPaths() {}

  /** The value at {@code chain} below {@code root}. */
  static Object get(Record root, List<String> chain) {
    Object current = root;
    for (String name : chain) {
      Shape shape = SHAPES.get(current.getClass());
      current = read(current, shape.accessors()[shape.index(name)]);
    }
    return current;
  }

  /** A copy of {@code root} with the value at {@code chain} replaced; the other components are shared. */
  @SuppressWarnings("unchecked")
  static <T extends Record> T with(T root, List<String> chain, Object value) {
    Shape shape = SHAPES.get(root.getClass());
    Object[] args = new Object[shape.names().length];
    for (int i = 0; i < args.length; i++) args[i] = read(root, shape.accessors()[i]);
    int target = shape.index(chain.get(0));
    args[target] = chain.size() == 1 ? value : with((Record) args[target], chain.subList(1, chain.size()), value);
    try {
      return (T) shape.constructor().newInstance(args);
    } catch (InvocationTargetException e) {
      // the record's own validation rejected the value: surface its message, it is about user input
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw new IllegalStateException("cannot build " + root.getClass().getSimpleName(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build " + root.getClass().getSimpleName(), e);
    }
  }

  private static Object read(Object record, Method accessor) {
    try {
      return accessor.invoke(record);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + accessor.getName() + " of " + record.getClass().getSimpleName(), e);
    }
  }
}
