package io.lodge.querier.template;

import java.util.List;

/**
 * The parse tree of a Go template, one record per {@code text/template/parse} node kind. {@code pos}
 * is the node's offset in the source (runtime errors report it as line:column), and
 * {@code toString()} prints the node the way Go does inside {@code at <…>} error contexts.
 */
sealed interface TemplateNode {
  int pos();

  /** Literal text between actions. */
  record Text(int pos, String text) implements TemplateNode {
    @Override
    public String toString() {
      return text;
    }
  }

  /** A sequence of nodes (a template body or a branch). */
  record ListNode(int pos, List<TemplateNode> nodes) implements TemplateNode {
    @Override
    public String toString() {
      StringBuilder b = new StringBuilder();
      for (TemplateNode n : nodes) b.append(n);
      return b.toString();
    }
  }

  /** {@code {{pipeline}}}: prints the value unless the pipeline declares variables. */
  record Action(int pos, Pipe pipe) implements TemplateNode {
    @Override
    public String toString() {
      return "{{" + pipe + "}}";
    }
  }

  /** {@code $a, $b := cmd | cmd}. */
  record Pipe(int pos, boolean isAssign, List<Variable> decl, List<Command> cmds)
      implements TemplateNode {
    @Override
    public String toString() {
      StringBuilder b = new StringBuilder();
      if (!decl.isEmpty()) {
        for (int i = 0; i < decl.size(); i++) {
          if (i > 0) b.append(", ");
          b.append(decl.get(i));
        }
        b.append(isAssign ? " = " : " := ");
      }
      for (int i = 0; i < cmds.size(); i++) {
        if (i > 0) b.append(" | ");
        b.append(cmds.get(i));
      }
      return b.toString();
    }
  }

  /** One command: an operand or a function with arguments. */
  record Command(int pos, List<TemplateNode> args) implements TemplateNode {
    @Override
    public String toString() {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < args.size(); i++) {
        if (i > 0) b.append(' ');
        TemplateNode a = args.get(i);
        if (a instanceof Pipe) {
          b.append('(').append(a).append(')');
        } else {
          b.append(a);
        }
      }
      return b.toString();
    }
  }

  /** A function name. */
  record Identifier(int pos, String ident) implements TemplateNode {
    @Override
    public String toString() {
      return ident;
    }
  }

  /** {@code $x} or {@code $x.f.g}: {@code idents[0]} is the variable. */
  record Variable(int pos, List<String> idents) implements TemplateNode {
    @Override
    public String toString() {
      return String.join(".", idents);
    }
  }

  /** {@code .}. */
  record Dot(int pos) implements TemplateNode {
    @Override
    public String toString() {
      return ".";
    }
  }

  /** {@code nil}. */
  record Nil(int pos) implements TemplateNode {
    @Override
    public String toString() {
      return "nil";
    }
  }

  /** {@code .a.b}: field (map key) lookups from dot. */
  record Field(int pos, List<String> idents) implements TemplateNode {
    @Override
    public String toString() {
      StringBuilder b = new StringBuilder();
      for (String s : idents) b.append('.').append(s);
      return b.toString();
    }
  }

  /** {@code (pipe).a.b} or {@code fn.a}: fields of a computed value. */
  record Chain(int pos, TemplateNode node, List<String> fields) implements TemplateNode {
    @Override
    public String toString() {
      StringBuilder b = new StringBuilder();
      if (node instanceof Pipe) {
        b.append('(').append(node).append(')');
      } else {
        b.append(node);
      }
      for (String f : fields) b.append('.').append(f);
      return b.toString();
    }
  }

  /** {@code true}/{@code false}. */
  record Bool(int pos, boolean value) implements TemplateNode {
    @Override
    public String toString() {
      return value ? "true" : "false";
    }
  }

  /**
   * A number literal with every interpretation Go's parser finds for it ({@code 2.0} is both a
   * float and an int; {@code 'a'} is an int).
   */
  record Number(int pos, String text, boolean isInt, long intValue, boolean isUint,
      boolean isFloat, double floatValue) implements TemplateNode {
    @Override
    public String toString() {
      return text;
    }
  }

  /** A quoted or raw string; {@code quoted} is the source form. */
  record Str(int pos, String quoted, String text) implements TemplateNode {
    @Override
    public String toString() {
      return quoted;
    }
  }

  /** {@code if}, {@code range} and {@code with}. */
  record Branch(int pos, BranchKind kind, Pipe pipe, ListNode list, ListNode elseList)
      implements TemplateNode {
    @Override
    public String toString() {
      String name = kind.name().toLowerCase();
      String s = "{{" + name + " " + pipe + "}}" + list;
      if (elseList != null) s += "{{else}}" + elseList;
      return s + "{{end}}";
    }
  }

  /** The three branching actions. */
  enum BranchKind {
    IF, RANGE, WITH
  }

  /** {@code {{break}}} and {@code {{continue}}} inside a range. */
  record LoopControl(int pos, boolean isBreak) implements TemplateNode {
    @Override
    public String toString() {
      return isBreak ? "{{break}}" : "{{continue}}";
    }
  }

  /** Parser-internal markers for {@code {{end}}} and {@code {{else}}}. */
  record Marker(int pos, boolean isElse) implements TemplateNode {
    @Override
    public String toString() {
      return isElse ? "{{else}}" : "{{end}}";
    }
  }
}
