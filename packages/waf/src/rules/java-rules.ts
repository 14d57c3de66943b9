import { RULE_CATEGORIES, viewRule, type FieldRule } from './rule.js';
import { ARGS_AND_HEADERS } from './targets.js';

const base = { category: RULE_CATEGORIES.java, severity: 'critical', targets: ARGS_AND_HEADERS } as const;

/** Java application attacks (CRS REQUEST-944): class names, deserialization, expression languages, Log4Shell. */
export const JAVA_RULES: readonly FieldRule[] = [
  viewRule(
    { ...base, id: 'WAF_JAVA_001', paranoia: 1, description: 'Reference to a dangerous Java package or class (java.lang.*, java.io.*, javax.script, com.sun.*, org.apache.commons…)' },
    (field) => field.lower,
    /\b(?:java\.(?:lang|io|net|nio|util\.(?:zip|jar|concurrent)|beans|rmi|security|sql)\.[a-z_$]|javax\.(?:script|naming|management|xml\.transform|el)\b|com\.sun\.|sun\.(?:misc|reflect|rmi)\.|org\.apache\.(?:commons|xalan|xerces|tomcat|catalina|struts2?|log4j|bcel|ibatis|myfaces|shiro|velocity|wicket)\b|org\.omg\.|org\.springframework\.|org\.codehaus\.groovy|groovy\.lang\.|com\.opensymphony\.|bsh\.interpreter|jdk\.(?:jshell|nashorn))/,
    '.',
  ),
  viewRule(
    { ...base, id: 'WAF_JAVA_002', paranoia: 1, description: 'Java process execution (Runtime.getRuntime().exec, ProcessBuilder)' },
    (field) => field.lower,
    /\bprocessbuilder\b|\bgetruntime\s*\(|\bjava\b[\w.$]{0,40}\.(?:runtime|processbuilder)\b|\bruntime\s*\.\s*(?:getruntime|exec)\b/,
  ),
  viewRule(
    { ...base, id: 'WAF_JAVA_003', paranoia: 1, description: 'Java deserialization: gadget chain class or serialized-object magic bytes (aced0005, rO0AB…)' },
    (field) => field.text,
    /\b(?:clonetransformer|forclosure|instantiatefactory|instantiatetransformer|invokertransformer|prototypeclonefactory|prototypeserializationfactory|whileclosure|chainedtransformer|constanttransformer|lazymap|templatesimpl|jdbcrowsetimpl|badattributevalueexpexception|annotationinvocationhandler)\b|rO0AB|KztAAU|Cs7QAF|\baced0005|\\xac\\xed\\x00\\x05/i,
  ),
  viewRule(
    { ...base, id: 'WAF_JAVA_004', paranoia: 1, description: 'Log4Shell: JNDI or nested lookup (${jndi:…}, ${${lower:j}ndi:…}, ${::-j})' },
    (field) => field.lower,
    /\$\{[^}]{0,60}(?:jndi|\$\{|::-|lower:|upper:|env:|sys:|java:|base64:|date:|main:|bundle:|ctx:|spring:|k8s:|docker:|web:|log4j:)|\$\{(?:jndi|ldaps?|rmi|dns|iiop|corba|nds|nis)\b|\bjndi:(?:ldaps?|rmi|dns|iiop|corba|nds|nis|http)/,
    '$:',
  ),
  viewRule(
    { ...base, id: 'WAF_JAVA_005', paranoia: 1, description: 'Expression language injection (OGNL %{…}, #_memberAccess, SpEL T(…), class.module.classLoader)' },
    (field) => field.lower,
    /#_memberaccess|@java\.lang\.|#context\s*\[|#(?:request|application|session|parameters|attr)\s*[.[]|\bt\s*\(\s*java\.|\bclass\.(?:module\.)?classloader\b|\bclassloader\.resources\b|%\{\s*\(?\s*#/,
    '#@(.%',
  ),
];
