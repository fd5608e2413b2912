package io.lodge.querier.template;

import io.lodge.querier.template.TemplateLexer.Kind;
import io.lodge.querier.template.TemplateLexer.Token;
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
import io.lodge.querier.template.TemplateNode.Marker;
import io.lodge.querier.template.TemplateNode.Nil;
import io.lodge.querier.template.TemplateNode.Pipe;
import io.lodge.querier.template.TemplateNode.Str;
import io.lodge.querier.template.TemplateNode.Text;
import io.lodge.querier.template.TemplateNode.Variable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Recursive-descent parser mirroring Go's {@code text/template/parse}: same grammar, same checks
 * (undefined functions and variables, empty pipelines, non-executable pipeline stages) and the
 * same messages, {@code template: <name>:<line>: <what>}. {@code define}, {@code template} and
 * {@code block} are refused: Loki templates are single, unnamed bodies.
 */
final class TemplateParser {
  private final String name;
  private final List<Token> tokens;
  private int i;
  private int furthest;
  private final List<String> vars = new ArrayList<>(List.of("$"));
  private int rangeDepth;
  private int actionLine;
  private int depth;
  /** Nesting bound for parentheses and control blocks, so hostile input cannot overflow the stack. */
  private static final int MAX_DEPTH = 100;

  private TemplateParser(String name, String text) {
    this.name = name;
    this.tokens = TemplateLexer.lex(text);
  }

  /** Parses {@code text}; {@code name} appears in error messages ({@code line}, {@code label}). */
  static ListNode parse(String name, String text) {
    return new TemplateParser(name, text).root();
  }

  // ---- token stream -------------------------------------------------------------------------

  private Token next() {
    int idx = Math.min(i, tokens.size() - 1);
    furthest = Math.max(furthest, idx);
    i++;
    return tokens.get(idx);
  }

  private void backup() {
    i--;
  }

  private Token peek() {
    Token t = next();
    backup();
    return t;
  }

  private Token nextNonSpace() {
    Token t;
    do {
      t = next();
    } while (t.kind() == Kind.SPACE);
    return t;
  }

  private Token peekNonSpace() {
    Token t = nextNonSpace();
    backup();
    return t;
  }

  private TemplateException error(String msg) {
    int line = tokens.get(furthest).line();
    return new TemplateException("template: " + name + ":" + line + ": " + msg);
  }

  private TemplateException unexpected(Token t, String context) {
    if (t.kind() == Kind.ERROR) {
      String extra = "";
      if (actionLine != 0 && actionLine != t.line()) {
        extra = " in action started at " + name + ":" + actionLine;
        if (t.val().endsWith(" action")) extra = extra.substring(" in action".length());
      }
      return error(t.describe() + extra);
    }
    return error("unexpected " + t.describe() + " in " + context);
  }

  private Token expect(Kind k, String context) {
    Token t = nextNonSpace();
    if (t.kind() != k) throw unexpected(t, context);
    return t;
  }

  // ---- grammar ------------------------------------------------------------------------------

  private ListNode root() {
    List<TemplateNode> nodes = new ArrayList<>();
    int pos = peek().pos();
    while (peek().kind() != Kind.EOF) {
      if (peek().kind() == Kind.LEFT_DELIM) {
        next();
        Token t = nextNonSpace();
        if (t.kind() == Kind.DEFINE) throw error("{{define}} is not supported in LogQL templates");
        backup();
        while (tokens.get(i - 1).kind() == Kind.SPACE) backup();
        backup();
      }
      TemplateNode n = textOrAction();
      if (n instanceof Marker) throw error("unexpected " + n);
      nodes.add(n);
    }
    return new ListNode(pos, nodes);
  }

  private TemplateNode textOrAction() {
    Token t = nextNonSpace();
    switch (t.kind()) {
      case TEXT -> {
        return new Text(t.pos(), t.val());
      }
      case LEFT_DELIM -> {
        actionLine = t.line();
        try {
          return action();
        } finally {
          actionLine = 0;
        }
      }
      default -> throw unexpected(t, "input");
    }
  }

  private TemplateNode action() {
    Token t = nextNonSpace();
    switch (t.kind()) {
      case BLOCK, TEMPLATE, DEFINE -> throw error("{{" + t.val() + "}} is not supported in LogQL templates");
      case BREAK, CONTINUE -> {
        String what = "{{" + t.val() + "}}";
        Token n = nextNonSpace();
        if (n.kind() != Kind.RIGHT_DELIM) throw unexpected(n, what);
        if (rangeDepth == 0) throw error(what + " outside {{range}}");
        return new LoopControl(t.pos(), t.kind() == Kind.BREAK);
      }
      case ELSE -> {
        return elseControl();
      }
      case END -> {
        return new Marker(expect(Kind.RIGHT_DELIM, "end").pos(), false);
      }
      case IF -> {
        return control(BranchKind.IF);
      }
      case RANGE -> {
        return control(BranchKind.RANGE);
      }
      case WITH -> {
        return control(BranchKind.WITH);
      }
      default -> {
        backup();
        Token p = peek();
        return new Action(p.pos(), pipeline("command", Kind.RIGHT_DELIM));
      }
    }
  }

  private TemplateNode elseControl() {
    Token p = peekNonSpace();
    if (p.kind() == Kind.IF || p.kind() == Kind.WITH) return new Marker(p.pos(), true);
    return new Marker(expect(Kind.RIGHT_DELIM, "else").pos(), true);
  }

  private Branch control(BranchKind kind) {
    String context = kind.name().toLowerCase();
    int mark = vars.size();
    if (++depth > MAX_DEPTH) throw error("max expression depth exceeded");
    try {
      Pipe pipe = pipeline(context, Kind.RIGHT_DELIM);
      if (kind == BranchKind.RANGE) rangeDepth++;
      TemplateNode[] next = new TemplateNode[1];
      ListNode list = itemList(next);
      if (kind == BranchKind.RANGE) rangeDepth--;
      ListNode elseList = null;
      if (next[0] instanceof Marker m && m.isElse()) {
        Kind chained = kind == BranchKind.IF ? Kind.IF : kind == BranchKind.WITH ? Kind.WITH : null;
        if (chained != null && peek().kind() == chained) {
          // {{else if x}} is {{else}}{{if x}}…{{end}}{{end}} with the inner end shared.
          next();
          elseList = new ListNode(m.pos(), List.of(control(kind)));
        } else {
          elseList = itemList(next);
          if (!(next[0] instanceof Marker e) || e.isElse()) {
            throw error("expected end; found " + next[0]);
          }
        }
      }
      return new Branch(pipe.pos(), kind, pipe, list, elseList);
    } finally {
      depth--;
      while (vars.size() > mark) vars.removeLast();
    }
  }

  private ListNode itemList(TemplateNode[] next) {
    List<TemplateNode> nodes = new ArrayList<>();
    int pos = peekNonSpace().pos();
    while (peekNonSpace().kind() != Kind.EOF) {
      TemplateNode n = textOrAction();
      if (n instanceof Marker) {
        next[0] = n;
        return new ListNode(pos, nodes);
      }
      nodes.add(n);
    }
    throw error("unexpected EOF");
  }

  private Pipe pipeline(String context, Kind end) {
    if (++depth > MAX_DEPTH) throw error("max expression depth exceeded");
    try {
      return pipelineBody(context, end);
    } finally {
      depth--;
    }
  }

  private Pipe pipelineBody(String context, Kind end) {
    Token first = peekNonSpace();
    boolean isAssign = false;
    List<Variable> decl = new ArrayList<>();
    List<Command> cmds = new ArrayList<>();
    while (true) {
      Token v = peekNonSpace();
      if (v.kind() != Kind.VARIABLE) break;
      int save = i;
      nextNonSpace();
      Token n = peekNonSpace();
      if (n.kind() == Kind.ASSIGN || n.kind() == Kind.DECLARE) {
        isAssign = n.kind() == Kind.ASSIGN;
        nextNonSpace();
        decl.add(new Variable(v.pos(), List.of(v.val())));
        vars.add(v.val());
        break;
      } else if (n.kind() == Kind.CHAR && n.val().equals(",")) {
        nextNonSpace();
        decl.add(new Variable(v.pos(), List.of(v.val())));
        vars.add(v.val());
        if (context.equals("range") && decl.size() < 2) {
          Kind k = peekNonSpace().kind();
          if (k == Kind.VARIABLE || k == Kind.RIGHT_DELIM || k == Kind.RIGHT_PAREN) continue;
          throw error("range can only initialize variables");
        }
        throw error("too many declarations in " + context);
      } else {
        // "$x foo" or "$x.f": $x is an operand, not a declaration; put it back.
        i = save;
        break;
      }
    }
    while (true) {
      Token t = nextNonSpace();
      if (t.kind() == end) {
        if (cmds.isEmpty()) throw error("missing value for " + context);
        for (int k = 1; k < cmds.size(); k++) {
          TemplateNode a = cmds.get(k).args().getFirst();
          if (a instanceof Bool || a instanceof Dot || a instanceof Nil
              || a instanceof TemplateNode.Number || a instanceof Str) {
            throw error("non executable command in pipeline stage " + (k + 1));
          }
        }
        return new Pipe(first.pos(), isAssign, decl, cmds);
      }
      switch (t.kind()) {
        case BOOL, CHAR_CONSTANT, DOT, FIELD, IDENTIFIER, NUMBER, NIL, RAW_STRING, STRING,
            VARIABLE, LEFT_PAREN -> {
          backup();
          cmds.add(command());
        }
        default -> throw unexpected(t, context);
      }
    }
  }

  private Command command() {
    int pos = peekNonSpace().pos();
    List<TemplateNode> args = new ArrayList<>();
    while (true) {
      peekNonSpace();
      TemplateNode operand = operand();
      if (operand != null) args.add(operand);
      Token t = next();
      if (t.kind() == Kind.SPACE) continue;
      if (t.kind() == Kind.RIGHT_DELIM || t.kind() == Kind.RIGHT_PAREN) {
        backup();
      } else if (t.kind() != Kind.PIPE) {
        throw unexpected(t, "operand");
      }
      break;
    }
    if (args.isEmpty()) throw error("empty command");
    return new Command(pos, args);
  }

  private TemplateNode operand() {
    TemplateNode node = term();
    if (node == null) return null;
    if (peek().kind() == Kind.FIELD) {
      int pos = peek().pos();
      List<String> fields = new ArrayList<>();
      while (peek().kind() == Kind.FIELD) fields.add(next().val().substring(1));
      switch (node) {
        case Field f -> {
          List<String> all = new ArrayList<>(f.idents());
          all.addAll(fields);
          return new Field(pos, all);
        }
        case Variable v -> {
          List<String> all = new ArrayList<>(v.idents());
          all.addAll(fields);
          return new Variable(pos, all);
        }
        case Bool b -> throw error("unexpected . after term " + GoQuote.quote(b.toString()));
        case Str s -> throw error("unexpected . after term " + GoQuote.quote(s.toString()));
        case TemplateNode.Number n -> throw error("unexpected . after term " + GoQuote.quote(n.toString()));
        case Nil n -> throw error("unexpected . after term " + GoQuote.quote(n.toString()));
        case Dot d -> throw error("unexpected . after term " + GoQuote.quote(d.toString()));
        default -> {
          return new Chain(pos, node, fields);
        }
      }
    }
    return node;
  }

  private TemplateNode term() {
    Token t = nextNonSpace();
    switch (t.kind()) {
      case IDENTIFIER -> {
        if (!TemplateFunctions.exists(t.val())) {
          throw error("function " + GoQuote.quote(t.val()) + " not defined");
        }
        return new Identifier(t.pos(), t.val());
      }
      case DOT -> {
        return new Dot(t.pos());
      }
      case NIL -> {
        return new Nil(t.pos());
      }
      case VARIABLE -> {
        List<String> idents = Arrays.asList(t.val().split("\\.", -1));
        if (!vars.contains(idents.getFirst())) {
          throw error("undefined variable " + GoQuote.quote(idents.getFirst()));
        }
        return new Variable(t.pos(), idents);
      }
      case FIELD -> {
        return new Field(t.pos(), List.of(t.val().substring(1)));
      }
      case BOOL -> {
        return new Bool(t.pos(), t.val().equals("true"));
      }
      case CHAR_CONSTANT, NUMBER -> {
        try {
          return GoNumbers.literal(t.pos(), t.val(), t.kind() == Kind.CHAR_CONSTANT);
        } catch (IllegalArgumentException e) {
          throw error(e.getMessage());
        }
      }
      case LEFT_PAREN -> {
        return pipeline("parenthesized pipeline", Kind.RIGHT_PAREN);
      }
      case STRING, RAW_STRING -> {
        try {
          return new Str(t.pos(), t.val(), GoQuote.unquote(t.val()));
        } catch (IllegalArgumentException e) {
          throw error(e.getMessage());
        }
      }
      default -> {
        backup();
        return null;
      }
    }
  }
}
