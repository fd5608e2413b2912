package io.lodge.querier.template;

import io.lodge.querier.template.GoValues.Int64;
import io.lodge.querier.template.GoValues.Labels;
import io.lodge.querier.template.TemplateFunction.Failure;
import io.lodge.querier.template.TemplateFunction.GoType;
import io.lodge.querier.template.TemplateNode.Action;
import io.lodge.querier.template.TemplateNode.Bool;
import io.lodge.querier.template.TemplateNode.Branch;
import io.lodge.querier.template.TemplateNode.BranchKind;
import io.lodge.querier.template.TemplateNode.Chain;
import io.lodge.querier.template.TemplateNode.Command;
import io.lodge.querier.template.TemplateNode.Dot;
import io.lodge.querier.template.TemplateNode.Field;
import io.lodge.querier.template.TemplateNode.Identifier;
import io.lodge.querier.template.TemplateNode.ListNode;
import io.lodge.querier.template.TemplateNode.LoopControl;
import io.lodge.querier.template.TemplateNode.Nil;
import io.lodge.querier.template.TemplateNode.Pipe;
import io.lodge.querier.template.TemplateNode.Str;
import io.lodge.querier.template.TemplateNode.Text;
import io.lodge.querier.template.TemplateNode.Variable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a parsed template the way Go's {@code text/template} exec does (option missingkey=zero),
 * step for step, so that errors name the same node and position: {@code template: line:1:9:
 * executing "line" at <now>: wrong number of args for now: want 0 got 1}. One instance per thread
 * is reused across executions: output buffer and variable stack are recycled.
 */
final class TemplateExecutor implements TemplateFunction.Entry {
  /** Marks "no pipeline value" for a command's final argument. */
  private static final Object MISSING = new Object();

  private static final class LoopSignal extends RuntimeException {
    LoopSignal() {
      super(null, null, false, false);
    }
  }

  private static final LoopSignal BREAK = new LoopSignal();
  private static final LoopSignal CONTINUE = new LoopSignal();

  final StringBuilder out = new StringBuilder(256);
  private String[] varNames = new String[8];
  private Object[] varValues = new Object[8];
  private int varCount;
  private TemplateNode node;
  private String name;
  private String source;
  private String line;
  private long timestampNanos;

  @Override
  public String line() {
    return line;
  }

  @Override
  public long timestampNanos() {
    return timestampNanos;
  }

  /** Executes {@code root} for one entry; the result is left in {@link #out}. */
  void execute(String name, String source, ListNode root, TemplateContext ctx) {
    this.name = name;
    this.source = source;
    this.line = ctx.line();
    this.timestampNanos = ctx.timestampNanos();
    out.setLength(0);
    varCount = 0;
    node = null;
    Labels dot = new Labels(ctx.labels());
    push("$", dot);
    walk(dot, root);
  }

  // ---- errors -------------------------------------------------------------------------------

  private TemplateException error(String msg) {
    if (node == null) return new TemplateException("template: " + name + ": " + msg);
    int pos = Math.min(node.pos(), source.length());
    int nl = source.lastIndexOf('\n', pos - 1);
    int lineNum = 1;
    for (int i = 0; i < pos; i++) if (source.charAt(i) == '\n') lineNum++;
    int col = source.substring(nl + 1, pos).getBytes(StandardCharsets.UTF_8).length;
    String context = node.toString();
    if (context.codePointCount(0, context.length()) > 20) {
      context = context.substring(0, context.offsetByCodePoints(0, 20)) + "...";
    }
    return new TemplateException("template: " + name + ":" + lineNum + ":" + col + ": executing "
        + GoQuote.quote(name) + " at <" + context + ">: " + msg);
  }

  private void at(TemplateNode n) {
    node = n;
  }

  // ---- variables ----------------------------------------------------------------------------

  private void push(String n, Object v) {
    if (varCount == varNames.length) {
      varNames = Arrays.copyOf(varNames, varCount * 2);
      varValues = Arrays.copyOf(varValues, varCount * 2);
    }
    varNames[varCount] = n;
    varValues[varCount++] = v;
  }

  private void pop(int mark) {
    for (int i = mark; i < varCount; i++) varValues[i] = null;
    varCount = mark;
  }

  private void setVar(String n, Object v) {
    for (int i = varCount - 1; i >= 0; i--) {
      if (varNames[i].equals(n)) {
        varValues[i] = v;
        return;
      }
    }
    throw error("undefined variable: " + n);
  }

  private Object varValue(String n) {
    for (int i = varCount - 1; i >= 0; i--) if (varNames[i].equals(n)) return varValues[i];
    throw error("undefined variable: " + n);
  }

  // ---- statements ---------------------------------------------------------------------------

  private void walk(Object dot, TemplateNode n) {
    at(n);
    switch (n) {
      case Text t -> out.append(t.text());
      case Action a -> {
        Object v = evalPipeline(dot, a.pipe());
        if (a.pipe().decl().isEmpty()) {
          at(a);
          if (v == null) {
            out.append("<no value>");
          } else {
            GoValues.appendValue(out, v);
          }
        }
      }
      case ListNode l -> {
        for (TemplateNode c : l.nodes()) walk(dot, c);
      }
      case Branch b when b.kind() == BranchKind.RANGE -> walkRange(dot, b);
      case Branch b -> {
        int mark = varCount;
        try {
          Object v = evalPipeline(dot, b.pipe());
          if (GoValues.isTrue(v)) {
            walk(b.kind() == BranchKind.WITH ? v : dot, b.list());
          } else if (b.elseList() != null) {
            walk(dot, b.elseList());
          }
        } finally {
          pop(mark);
        }
      }
      case LoopControl c -> throw c.isBreak() ? BREAK : CONTINUE;
      default -> throw error("unknown node: " + n);
    }
  }

  private void walkRange(Object dot, Branch r) {
    at(r);
    int mark = varCount;
    try {
      Object val = evalPipeline(dot, r.pipe());
      int inner = varCount;
      boolean ran = false;
      switch (val) {
        case null -> {}
        case List<?> list -> {
          for (int i = 0; i < list.size(); i++) {
            ran = true;
            if (!iteration(r, inner, (long) i, list.get(i))) return;
          }
        }
        case Labels labels -> {
          Map<String, String> sorted = labels.map() instanceof TreeMap<String, String> t ? t : new TreeMap<>(labels.map());
          for (Map.Entry<String, String> e : sorted.entrySet()) {
            ran = true;
            if (!iteration(r, inner, e.getKey(), e.getValue())) return;
          }
        }
        case Map<?, ?> m -> {
          for (Map.Entry<?, ?> e : m.entrySet()) {
            ran = true;
            if (!iteration(r, inner, e.getKey(), e.getValue())) return;
          }
        }
        case Long n -> {
          if (r.pipe().decl().size() > 1) {
            throw error("can't use " + n + " to iterate over more than one variable");
          }
          for (long i = 0; i < n; i++) {
            ran = true;
            if (!iteration(r, inner, i, i)) return;
          }
        }
        case Int64 n -> {
          if (r.pipe().decl().size() > 1) {
            throw error("can't use " + n + " to iterate over more than one variable");
          }
          for (long i = 0; i < n.value(); i++) {
            ran = true;
            if (!iteration(r, inner, new Int64(i), new Int64(i))) return;
          }
        }
        default -> throw error("range can't iterate over " + GoValues.toText(val));
      }
      if (!ran && r.elseList() != null) walk(dot, r.elseList());
    } finally {
      pop(mark);
    }
  }

  /** One pass of a range body; false when {@code {{break}}} ended the loop. */
  private boolean iteration(Branch r, int mark, Object index, Object elem) {
    Pipe p = r.pipe();
    List<Variable> decl = p.decl();
    if (!decl.isEmpty()) {
      if (p.isAssign()) {
        setVar(decl.getFirst().idents().getFirst(), decl.size() > 1 ? index : elem);
      } else {
        varValues[varCount - 1] = elem;
      }
    }
    if (decl.size() > 1) {
      if (p.isAssign()) {
        setVar(decl.get(1).idents().getFirst(), elem);
      } else {
        varValues[varCount - 2] = index;
      }
    }
    try {
      walk(elem, r.list());
      return true;
    } catch (LoopSignal s) {
      return s == CONTINUE;
    } finally {
      pop(mark);
    }
  }

  // ---- expressions --------------------------------------------------------------------------

  private Object evalPipeline(Object dot, Pipe pipe) {
    if (pipe == null) return null;
    at(pipe);
    Object value = MISSING;
    for (Command c : pipe.cmds()) value = evalCommand(dot, c, value);
    for (Variable v : pipe.decl()) {
      if (pipe.isAssign()) {
        setVar(v.idents().getFirst(), value);
      } else {
        push(v.idents().getFirst(), value);
      }
    }
    return value;
  }

  private Object evalCommand(Object dot, Command cmd, Object fin) {
    TemplateNode first = cmd.args().getFirst();
    switch (first) {
      case Field f -> {
        return evalFieldNode(dot, f, cmd.args(), fin);
      }
      case Chain c -> {
        return evalChainNode(dot, c, cmd.args(), fin);
      }
      case Identifier id -> {
        return evalFunction(dot, id, cmd, cmd.args(), fin);
      }
      case Pipe p -> {
        notAFunction(cmd.args(), fin);
        return evalPipeline(dot, p);
      }
      case Variable v -> {
        return evalVariableNode(dot, v, cmd.args(), fin);
      }
      default -> {}
    }
    at(first);
    notAFunction(cmd.args(), fin);
    return switch (first) {
      case Bool b -> b.value();
      case Dot d -> dot;
      case Nil n -> throw error("nil is not a command");
      case TemplateNode.Number n -> idealConstant(n);
      case Str s -> s.text();
      default -> throw error("can't evaluate command " + GoQuote.quote(first.toString()));
    };
  }

  private void notAFunction(List<TemplateNode> args, Object fin) {
    if ((args != null && args.size() > 1) || fin != MISSING) {
      throw error("can't give argument to non-function " + args.getFirst());
    }
  }

  private Object idealConstant(TemplateNode.Number n) {
    at(n);
    String t = n.text();
    boolean hexInt = t.length() > 2 && t.charAt(0) == '0' && (t.charAt(1) == 'x' || t.charAt(1) == 'X')
        && !GoNumbers.containsAny(t, "pP");
    boolean runeInt = t.startsWith("'");
    if (n.isFloat() && !hexInt && !runeInt && GoNumbers.containsAny(t, ".eEpP")) return n.floatValue();
    if (n.isInt()) return n.intValue();
    if (n.isUint()) throw error(t + " overflows int");
    return null;
  }

  private Object evalFieldNode(Object dot, Field f, List<TemplateNode> args, Object fin) {
    at(f);
    return evalFieldChain(dot, dot, f, f.idents(), args, fin);
  }

  private Object evalChainNode(Object dot, Chain c, List<TemplateNode> args, Object fin) {
    if (c.node() instanceof Nil) throw error("indirection through explicit nil in " + c);
    Object pipe = evalArg(dot, null, c.node());
    return evalFieldChain(dot, pipe, c, c.fields(), args, fin);
  }

  private Object evalVariableNode(Object dot, Variable v, List<TemplateNode> args, Object fin) {
    at(v);
    Object value = varValue(v.idents().getFirst());
    if (v.idents().size() == 1) {
      notAFunction(args, fin);
      return value;
    }
    return evalFieldChain(dot, value, v, v.idents().subList(1, v.idents().size()), args, fin);
  }

  private Object evalFieldChain(Object dot, Object receiver, TemplateNode n, List<String> idents,
      List<TemplateNode> args, Object fin) {
    int last = idents.size() - 1;
    for (int i = 0; i < last; i++) receiver = evalField(dot, idents.get(i), n, null, MISSING, receiver);
    return evalField(dot, idents.get(last), n, args, fin, receiver);
  }

  private Object evalField(Object dot, String field, TemplateNode n, List<TemplateNode> args,
      Object fin, Object receiver) {
    if (receiver == null) return null;
    if (receiver instanceof GoTime t) {
      TemplateFunction method = TimeMethods.get(field, t);
      if (method != null) return evalCall(dot, method, n, field, args, fin);
    }
    boolean hasArgs = (args != null && args.size() > 1) || fin != MISSING;
    switch (receiver) {
      case Labels l -> {
        if (hasArgs) throw error(field + " is not a method but has arguments");
        String v = l.map().get(field);
        return v == null ? "" : v;
      }
      case Map<?, ?> m -> {
        if (hasArgs) throw error(field + " is not a method but has arguments");
        return m.get(field);
      }
      default -> throw error("can't evaluate field " + field + " in type " + GoValues.typeName(receiver));
    }
  }

  private Object evalFunction(Object dot, Identifier id, TemplateNode cmd, List<TemplateNode> args, Object fin) {
    at(id);
    TemplateFunction fn = TemplateFunctions.get(id.ident());
    if (fn == null) throw error(GoQuote.quote(id.ident()) + " is not a defined function");
    return evalCall(dot, fn, cmd, id.ident(), args, fin);
  }

  private Object evalCall(Object dot, TemplateFunction fn, TemplateNode n, String fname,
      List<TemplateNode> args, Object fin) {
    if (args != null) args = args.subList(1, args.size());
    int nargs = args == null ? 0 : args.size();
    int numIn = nargs + (fin != MISSING ? 1 : 0);
    GoType[] params = fn.params();
    int numFixed = nargs;
    if (fn.isVariadic()) {
      numFixed = params.length;
      if (numIn < numFixed) {
        throw error("wrong number of args for " + fname + ": want at least " + params.length + " got " + nargs);
      }
    } else if (numIn != params.length) {
      throw error("wrong number of args for " + fname + ": want " + params.length + " got " + numIn);
    }
    if (fname.equals("and") || fname.equals("or")) {
      if (fn == TemplateFunctions.get(fname)) return andOr(dot, fname.equals("or"), args, fin);
    }
    Object[] argv = new Object[numIn];
    int i = 0;
    for (; i < numFixed && i < nargs; i++) argv[i] = evalArg(dot, params[i], args.get(i));
    if (fn.isVariadic()) {
      for (; i < nargs; i++) argv[i] = evalArg(dot, fn.variadic(), args.get(i));
    }
    if (fin != MISSING) {
      GoType t;
      if (fn.isVariadic()) {
        t = numIn - 1 < numFixed ? params[numIn - 1] : fn.variadic();
      } else {
        t = params[params.length - 1];
      }
      argv[i] = validateType(fin, t);
    }
    try {
      if (fname.equals("call") && fn == TemplateFunctions.get("call")) {
        // No template value is a Go func, so call always fails, naming its first operand.
        String callee = nargs == 0 ? GoValues.toText(fin) : args.getFirst().toString();
        if (argv[0] == null) throw new Failure("call of nil");
        throw new Failure("non-function " + callee + " of type " + GoValues.typeName(argv[0]));
      }
      return fn.body().call(argv, this);
    } catch (Failure | IllegalArgumentException e) {
      at(n);
      throw error("error calling " + fname + ": " + e.getMessage());
    }
  }

  private Object andOr(Object dot, boolean isOr, List<TemplateNode> args, Object fin) {
    Object v = null;
    if (args != null) {
      for (TemplateNode a : args) {
        v = evalArg(dot, GoType.VALUE, a);
        if (GoValues.isTrue(v) == isOr) return v;
      }
    }
    if (fin != MISSING) v = validateType(fin, GoType.VALUE);
    return v;
  }

  private Object validateType(Object value, GoType typ) {
    if (value == null) {
      if (typ == null || typ == GoType.ANY) return null;
      throw error("invalid value; expected " + typ.goName);
    }
    if (typ != null && !typ.accepts(value)) {
      throw error("wrong type for value; expected " + typ.goName + "; got " + GoValues.typeName(value));
    }
    return value;
  }

  private Object evalArg(Object dot, GoType typ, TemplateNode n) {
    at(n);
    switch (n) {
      case Dot d -> {
        return validateType(dot, typ);
      }
      case Nil nil -> {
        if (typ == GoType.ANY) return null;
        throw error("cannot assign nil to " + (typ == null ? "<nil>" : typ.goName));
      }
      case Field f -> {
        return validateType(evalFieldNode(dot, f, List.of(n), MISSING), typ);
      }
      case Variable v -> {
        return validateType(evalVariableNode(dot, v, null, MISSING), typ);
      }
      case Pipe p -> {
        return validateType(evalPipeline(dot, p), typ);
      }
      case Identifier id -> {
        return validateType(evalFunction(dot, id, id, null, MISSING), typ);
      }
      case Chain c -> {
        return validateType(evalChainNode(dot, c, null, MISSING), typ);
      }
      default -> {}
    }
    if (typ == null) throw error("can't handle " + n + " for arg of type <nil>");
    return switch (typ) {
      case BOOL -> {
        if (n instanceof Bool b) yield b.value();
        throw error("expected bool; found " + n);
      }
      case FLOAT64 -> {
        if (n instanceof TemplateNode.Number num && num.isFloat()) yield num.floatValue();
        throw error("expected float; found " + n);
      }
      case INT -> {
        if (n instanceof TemplateNode.Number num && num.isInt()) yield num.intValue();
        throw error("expected integer; found " + n);
      }
      case INT64 -> {
        if (n instanceof TemplateNode.Number num && num.isInt()) yield new Int64(num.intValue());
        throw error("expected integer; found " + n);
      }
      case STRING -> {
        if (n instanceof Str s) yield s.text();
        throw error("expected string; found " + n);
      }
      case ANY, VALUE -> evalEmptyInterface(n);
      case TIME -> throw error("can't handle " + n + " for arg of type time.Time");
    };
  }

  private Object evalEmptyInterface(TemplateNode n) {
    at(n);
    return switch (n) {
      case Bool b -> b.value();
      case TemplateNode.Number num -> idealConstant(num);
      case Str s -> s.text();
      default -> throw error("can't handle assignment of " + n + " to empty interface argument");
    };
  }
}
