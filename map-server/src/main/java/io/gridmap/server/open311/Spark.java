package io.gridmap.server.open311;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * One document tree written as GeoReport v2 JSON or XML, by the Spark convention the spec names
 * (wiki.open311.org/JSON_and_XML_Conversion): the tree is maps (elements in order), lists and
 * scalars under a named root. JSON drops the root (a list root is a JSON array, as in {@code
 * [{"service_code": ...}]}); XML keeps it and writes each list as its element holding one element
 * per item, named in the singular ({@code <services><service>}, {@code
 * <service_requests><request>}, {@code <errors><error>}). A null value is left out of both.
 */
final class Spark {
  private Spark() {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();

  /** The singular names the spec uses where dropping the final s is not it. */
  private static final Map<String, String> SINGULAR = Map.of("service_requests", "request");

  /** The JSON of a tree: its root's content. */
  static byte[] json(Object tree) {
    try {
      return JSON.writeValueAsBytes(withoutNulls(tree));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The tree with its null members left out, as XML leaves them. */
  private static Object withoutNulls(Object tree) {
    if (tree instanceof Map<?, ?> m) {
      Map<Object, Object> out = new java.util.LinkedHashMap<>();
      m.forEach(
          (k, v) -> {
            if (v != null) {
              out.put(k, withoutNulls(v));
            }
          });
      return out;
    }
    if (tree instanceof List<?> l) {
      return l.stream().map(Spark::withoutNulls).toList();
    }
    return tree;
  }

  /** The XML of a tree under {@code root}, with the declaration the spec asks for. */
  static byte[] xml(String root, Object tree) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try {
      XMLStreamWriter w = XML.createXMLStreamWriter(out, "UTF-8");
      w.writeStartDocument("UTF-8", "1.0");
      element(w, root, tree);
      w.writeEndDocument();
      w.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("writing Open311 XML failed", e);
    }
    return out.toByteArray();
  }

  private static void element(XMLStreamWriter w, String name, Object value)
      throws XMLStreamException {
    if (value == null) {
      return;
    }
    w.writeStartElement(name);
    if (value instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        element(w, (String) e.getKey(), e.getValue());
      }
    } else if (value instanceof List<?> items) {
      String item = singular(name);
      for (Object o : items) {
        element(w, item, o);
      }
    } else {
      w.writeCharacters(text(value));
    }
    w.writeEndElement();
  }

  static String singular(String plural) {
    String s = SINGULAR.get(plural);
    if (s != null) {
      return s;
    }
    return plural.endsWith("s") ? plural.substring(0, plural.length() - 1) : plural;
  }

  /**
   * A scalar as XML text. Characters XML 1.0 cannot carry (control characters other than tab and
   * line breaks, lone surrogates, U+FFFE/U+FFFF) become U+FFFD, so a stored value that holds one
   * cannot make the whole document unreadable.
   */
  private static String text(Object value) {
    String s = value instanceof Double d ? number(d) : String.valueOf(value);
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok;
      if (Character.isHighSurrogate(c)) {
        ok = i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        if (ok) {
          if (out != null) {
            out.append(c).append(s.charAt(i + 1));
          }
          i++;
          continue;
        }
      } else {
        ok =
            !Character.isLowSurrogate(c)
                && (c >= 0x20 || c == '\t' || c == '\n' || c == '\r')
                && c != 0xFFFE
                && c != 0xFFFF;
      }
      if (!ok && out == null) {
        out = new StringBuilder(s.length()).append(s, 0, i);
      }
      if (out != null) {
        out.append(ok ? c : '\uFFFD');
      }
    }
    return out == null ? s : out.toString();
  }

  /** A coordinate as plain decimal text, as in the spec's examples (never 1.0E-4). */
  private static String number(double d) {
    return java.math.BigDecimal.valueOf(d).toPlainString();
  }
}
